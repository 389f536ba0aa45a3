package dev.spotkeeper.sim.trace;

import dev.spotkeeper.core.SpotkeeperException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the node-event traces of Bamboo (NSDI '23): lines {@code ms,add|remove,nodeN}. They carry no zones and
 * no prices, so a trace becomes one zone with a constant spot price: a tick is available when the cluster has
 * at least one node and no node was removed during it, because Bamboo's traces record reclaims as removals and
 * a single-instance job is assumed to sit on the node that goes.
 */
public final class BambooTraces {
    /** The shipped traces by name. */
    public static final List<String> NAMES = List.of("p3", "g4dn");
    private static final String BASE = "/dev/spotkeeper/sim/traces/bamboo/";

    private BambooTraces() {
    }

    public static Trace shipped(String name, double gapSeconds, double spotPrice, double onDemandPrice) {
        if (!NAMES.contains(name)) {
            throw SpotkeeperException.invalidArgument("unknown Bamboo trace '" + name + "'; shipped: " + NAMES);
        }
        String file = name + "-trace.csv";
        return parse("classpath:" + BASE + file, Resources.read(BASE + file), gapSeconds, spotPrice, onDemandPrice);
    }

    public static Trace parse(String file, String text, double gapSeconds, double spotPrice, double onDemandPrice) {
        String[] lines = text.split("\r?\n");
        long[] ms = new long[lines.length];
        boolean[] add = new boolean[lines.length];
        String[] node = new String[lines.length];
        int n = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] c = line.split(",", -1);
            if (c.length != 3 || !(c[1].equals("add") || c[1].equals("remove"))) {
                throw SpotkeeperException.malformedFile(file, i + 1, "wrong columns: expected 'ms,add|remove,node', found '" + line + "'");
            }
            try {
                ms[n] = Long.parseLong(c[0]);
            } catch (NumberFormatException e) {
                throw SpotkeeperException.malformedFile(file, i + 1, "'" + c[0] + "' is not a time in milliseconds");
            }
            if (n > 0 && ms[n] < ms[n - 1]) {
                throw SpotkeeperException.malformedFile(file, i + 1, "unaligned ticks: time goes backwards");
            }
            add[n] = c[1].equals("add");
            node[n] = c[2];
            n++;
        }
        if (n == 0) {
            throw SpotkeeperException.malformedFile(file, 0, "no rows");
        }
        long gapMs = Math.round(gapSeconds * 1000);
        int ticks = (int) (ms[n - 1] / gapMs) + 1;
        boolean[] available = new boolean[ticks];
        double[] price = new double[ticks];
        Set<String> live = new HashSet<>();
        int e = 0;
        for (int t = 0; t < ticks; t++) {
            boolean removed = false;
            while (e < n && ms[e] < (t + 1) * gapMs) {
                removed |= !add[e];
                if (add[e]) {
                    live.add(node[e]);
                } else {
                    live.remove(node[e]);
                }
                e++;
            }
            available[t] = !removed && !live.isEmpty();
            price[t] = spotPrice;
        }
        String zone = "bamboo";
        return new Trace(file, List.of(zone), List.of(zone), gapSeconds, new boolean[][] {available},
                new double[][] {price}, onDemandPrice);
    }
}
