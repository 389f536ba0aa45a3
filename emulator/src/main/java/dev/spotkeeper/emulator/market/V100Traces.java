package dev.spotkeeper.emulator.market;

import dev.spotkeeper.sim.trace.Trace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The p3.2xlarge (one V100) availability and price traces of nine AWS zones, 2023-02-15 → 2023-04-02, first
 * collected for "Can't Be Late" (NSDI '24) and published with SkyNomad, as trace-backed pools of the market.
 * Loaded by the simulator's trace loader, which ships them with their Apache-2.0 licence.
 */
public final class V100Traces {
    public static final String INSTANCE_TYPE = "p3.2xlarge";
    /** On-demand price of p3.2xlarge in USD per hour, as published with the traces. */
    public static final double ON_DEMAND_PRICE = dev.spotkeeper.sim.trace.V100Traces.ON_DEMAND_PRICE;
    static final List<String> ZONES = dev.spotkeeper.sim.trace.V100Traces.ZONES;

    private static volatile List<TraceSeries> shipped;

    private V100Traces() {
    }

    /** All nine shipped traces (loaded once). */
    public static List<TraceSeries> shipped() {
        List<TraceSeries> traces = shipped;
        if (traces == null) {
            traces = series(dev.spotkeeper.sim.trace.V100Traces.shipped(), INSTANCE_TYPE);
            shipped = traces;
        }
        return traces;
    }

    /** One pool per zone of {@code trace}, for {@code instanceType}. */
    public static List<TraceSeries> series(Trace trace, String instanceType) {
        Duration tick = Duration.ofMillis(Math.round(trace.gapSeconds() * 1000));
        List<TraceSeries> out = new ArrayList<>();
        for (int z = 0; z < trace.zoneCount(); z++) {
            boolean[] available = new boolean[trace.ticks()];
            double[] price = new double[trace.ticks()];
            for (int t = 0; t < trace.ticks(); t++) {
                available[t] = trace.available(z, t);
                price[t] = trace.price(z, t);
            }
            out.add(new TraceSeries(trace.regions().get(z), trace.zones().get(z), instanceType, trace.onDemandPrice(),
                    tick, available, price));
        }
        return List.copyOf(out);
    }
}
