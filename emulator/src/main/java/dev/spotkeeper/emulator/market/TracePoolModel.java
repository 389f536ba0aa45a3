package dev.spotkeeper.emulator.market;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * A pool that replays a recorded trace: availability and price per tick, looping at the end. Every trace pool
 * of a market starts at the same row ({@code startRow}, chosen from the seed) so that zones stay aligned as
 * they were recorded.
 */
public final class TracePoolModel implements PoolModel {
    private final TraceSeries series;
    private final int startRow;

    public TracePoolModel(TraceSeries series, int startRow) {
        this.series = series;
        this.startRow = Math.floorMod(startRow, series.size());
    }

    @Override
    public State initial(SplittableRandom random) {
        return at(startRow);
    }

    @Override
    public State step(Duration elapsed, Duration dt, State previous, SplittableRandom random) {
        long ticks = elapsed.toMillis() / series.tick().toMillis();
        return at((int) Math.floorMod(startRow + ticks, (long) series.size()));
    }

    private State at(int row) {
        return new State(series.available(row), series.price(row));
    }
}
