package dev.spotkeeper.sim;

import java.util.Map;

/**
 * Egress prices and throughput for moving a checkpoint between regions. The defaults are benchmark B2's:
 * $0.01/GB between us-east-1 and us-east-2, $0.02/GB between either and us-west-2 (and, as AWS charges
 * between most other US regions, for any other pair), and the extra transfer time of a cross-region copy,
 * size / 8.20 Gbit/s − size / 9.72 Gbit/s (the same-region copy is part of the restart overhead).
 */
public record Network(double defaultEgressPerGb, Map<String, Double> egressPerGb, double crossRegionGbps,
                      double sameRegionGbps) {
    public static final Network AWS_B2 = new Network(0.02, Map.of(
            key("us-east-1", "us-east-2"), 0.01,
            key("us-east-1", "us-west-2"), 0.02,
            key("us-east-2", "us-west-2"), 0.02), 8.20, 9.72);

    public Network {
        egressPerGb = Map.copyOf(egressPerGb);
        if (!(crossRegionGbps > 0) || !(sameRegionGbps > 0)) {
            throw new IllegalArgumentException("throughputs must be > 0 Gbit/s, got " + crossRegionGbps + " and "
                    + sameRegionGbps);
        }
    }

    /** Dollars per GB from {@code from} to {@code to}; 0 within a region. */
    public double egressPerGb(String from, String to) {
        if (from.equals(to)) {
            return 0;
        }
        return egressPerGb.getOrDefault(key(from, to), defaultEgressPerGb);
    }

    /** Seconds a cross-region copy of {@code gb} takes beyond a same-region copy (never less than 0). */
    public double extraTransferSeconds(double gb) {
        double bits = gb * 8;
        return Math.max(0, bits / crossRegionGbps - bits / sameRegionGbps);
    }

    /** The same prices with other throughputs for the extra time of a cross-region copy. */
    public Network withTransfer(double crossGbps, double sameGbps) {
        return new Network(defaultEgressPerGb, egressPerGb, crossGbps, sameGbps);
    }

    /** The same prices with no extra time for a cross-region copy. */
    public Network withoutTransferTime() {
        return withTransfer(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** True when a cross-region copy takes longer than a same-region one. */
    public boolean transferTimeCounted() {
        return crossRegionGbps < sameRegionGbps;
    }

    /** The same network with one uniform cross-region price. */
    public Network withUniformEgress(double perGb) {
        return new Network(perGb, Map.of(), crossRegionGbps, sameRegionGbps);
    }

    private static String key(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }
}
