package dev.spotkeeper.sim;

import dev.spotkeeper.sim.trace.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Hand-made traces for tests: each zone as {@code "name:availability:price"}, availability as 0/1 characters. */
final class TinyTraces {
    private TinyTraces() {
    }

    static Trace of(double gapSeconds, double onDemandPrice, String... zones) {
        List<String> names = new ArrayList<>();
        List<String> regions = new ArrayList<>();
        boolean[][] available = new boolean[zones.length][];
        double[][] prices = new double[zones.length][];
        for (int z = 0; z < zones.length; z++) {
            String[] parts = zones[z].split(":");
            names.add(parts[0]);
            regions.add(Trace.regionOf(parts[0]));
            available[z] = new boolean[parts[1].length()];
            for (int t = 0; t < parts[1].length(); t++) {
                available[z][t] = parts[1].charAt(t) == '1';
            }
            prices[z] = new double[parts[1].length()];
            Arrays.fill(prices[z], Double.parseDouble(parts[2]));
        }
        return new Trace("tiny", names, regions, gapSeconds, available, prices, onDemandPrice);
    }

    static Trace of(double gapSeconds, double onDemandPrice, List<String> zones, boolean[][] available,
                    double[][] prices) {
        return new Trace("random", zones, zones.stream().map(Trace::regionOf).toList(), gapSeconds, available, prices,
                onDemandPrice);
    }
}
