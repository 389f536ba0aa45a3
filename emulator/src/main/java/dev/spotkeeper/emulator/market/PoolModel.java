package dev.spotkeeper.emulator.market;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * How one pool's capacity and price evolve. Snapshot-backed pools draw interruptions from a hazard rate;
 * trace-backed pools replay recorded availability and prices. Each pool owns its random stream, seeded from
 * the market seed and the pool key, so a pool's history does not depend on which other pools exist.
 */
public interface PoolModel {
    /** The pool's state at market time {@code elapsed} after the market began, {@code dt} after the last step. */
    State step(Duration elapsed, Duration dt, State previous, SplittableRandom random);

    /** The state before the first step. */
    State initial(SplittableRandom random);

    /** Capacity and price at one moment. */
    record State(boolean available, double price) {
    }
}
