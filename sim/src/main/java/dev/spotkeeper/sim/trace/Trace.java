package dev.spotkeeper.sim.trace;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.SpotkeeperException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Spot availability and price per zone on a common grid of ticks, the on-demand price of each zone's region, and
 * optionally a placement-score-like hint per zone and tick. Tick {@code t} covers {@code [t, t+1) × gap};
 * availability, price and hint hold for the whole tick. Immutable.
 */
public final class Trace {
    /** {@code us-east-1a}, {@code us-gov-west-1b}, {@code ap-northeast-3c}: the region and a letter. */
    private static final Pattern AWS_ZONE = Pattern.compile("^([a-z]{2}(-[a-z]+)+-\\d+)[a-z]$");
    /** AWS Local Zones ({@code us-west-2-lax-1a}) and Wavelength Zones ({@code us-east-1-wl1-bos-wlz-1}). */
    private static final Pattern AWS_EDGE_ZONE = Pattern.compile(
            "^([a-z]{2}(-[a-z]+)+-\\d+)-(([a-z]{3}-\\d+[a-z])|(wl\\d+-[a-z]{3}-wlz-\\d+))$");
    /** Google Cloud: {@code us-central1-a}, {@code europe-west4-b}, {@code northamerica-northeast1-c}. */
    private static final Pattern GCP_ZONE = Pattern.compile("^([a-z]+-[a-z]+\\d+)-[a-z]$");

    private final String source;
    private final List<String> zones;
    private final List<String> regions;
    private final double gapSeconds;
    private final boolean[][] available;
    private final double[][] prices;
    private final double[] onDemand;
    private final int[][] scores;

    /** A trace with one on-demand price everywhere and no hints. */
    public Trace(String source, List<String> zones, List<String> regions, double gapSeconds,
                 boolean[][] available, double[][] prices, double onDemandPrice) {
        this(source, zones, regions, gapSeconds, available, prices, filled(zones.size(), onDemandPrice),
                new int[zones.size()][]);
    }

    /**
     * @param available {@code available[zone][tick]}, all of the same length
     * @param prices    {@code prices[zone][tick]} in dollars per hour, aligned with {@code available}
     * @param onDemand  {@code onDemand[zone]}: dollars per hour of on-demand where the zone is
     * @param scores    {@code scores[zone][tick]} placement-score-like hints 1–10 (0: none), or a null row for a zone
     *                  without hints
     */
    public Trace(String source, List<String> zones, List<String> regions, double gapSeconds,
                 boolean[][] available, double[][] prices, double[] onDemand, int[][] scores) {
        this.source = requireNonNull(source, "source is null");
        this.zones = List.copyOf(zones);
        this.regions = List.copyOf(regions);
        if (this.zones.isEmpty()) {
            throw SpotkeeperException.malformedFile(source, 0, "the trace has no zones");
        }
        int n = this.zones.size();
        if (this.regions.size() != n || available.length != n || prices.length != n || onDemand.length != n
                || scores.length != n) {
            throw SpotkeeperException.malformedFile(source, 0, "zones, regions, availability, prices, on-demand prices "
                    + "and hints differ in count");
        }
        if (!(gapSeconds > 0)) {
            throw SpotkeeperException.malformedFile(source, 0, "the gap between ticks must be > 0 seconds, got " + gapSeconds);
        }
        int ticks = available[0].length;
        if (ticks == 0) {
            throw SpotkeeperException.malformedFile(source, 0, "the trace has no rows");
        }
        for (int z = 0; z < n; z++) {
            checkZone(z, ticks, available[z], prices[z], onDemand[z], scores[z]);
        }
        this.gapSeconds = gapSeconds;
        // Copied so that no caller can change a trace after it was checked.
        this.available = new boolean[n][];
        this.prices = new double[n][];
        this.scores = new int[n][];
        for (int z = 0; z < n; z++) {
            this.available[z] = available[z].clone();
            this.prices[z] = prices[z].clone();
            this.scores[z] = scores[z] == null ? null : scores[z].clone();
        }
        this.onDemand = onDemand.clone();
    }

    private void checkZone(int z, int ticks, boolean[] available, double[] prices, double onDemand, int[] scores) {
        String zone = zones.get(z);
        if (available.length != ticks) {
            throw SpotkeeperException.malformedFile(source, 0, "unaligned ticks: zone " + zone + " has "
                    + available.length + " ticks, zone " + zones.get(0) + " has " + ticks);
        }
        if (prices.length != ticks) {
            throw SpotkeeperException.malformedFile(source, 0, "the price series of zone " + zone + " has "
                    + prices.length + " values but the availability has " + ticks + " ticks");
        }
        for (double p : prices) {
            if (!(p >= 0) || Double.isInfinite(p)) {
                throw SpotkeeperException.malformedFile(source, 0, "zone " + zone
                        + " has a spot price that is not a finite number >= 0: " + p);
            }
        }
        if (!(onDemand > 0) || Double.isInfinite(onDemand)) {
            throw SpotkeeperException.malformedFile(source, 0, "the on-demand price of zone " + zone
                    + " must be a finite number > 0, got " + onDemand);
        }
        if (scores != null) {
            if (scores.length != ticks) {
                throw SpotkeeperException.malformedFile(source, 0, "the hint series of zone " + zone + " has "
                        + scores.length + " values but the availability has " + ticks + " ticks");
            }
            for (int s : scores) {
                if (s < 0 || s > 10) {
                    throw SpotkeeperException.malformedFile(source, 0, "zone " + zone
                            + " has a placement score outside 1–10 (0 for none): " + s);
                }
            }
        }
    }

    private static double[] filled(int n, double value) {
        double[] out = new double[n];
        Arrays.fill(out, value);
        return out;
    }

    /**
     * The region of a zone name: AWS ({@code us-east-2b} → {@code us-east-2}; Local and Wavelength Zones → their
     * parent region) and Google Cloud ({@code us-central1-a} → {@code us-central1}). Empty for other names.
     */
    public static Optional<String> inferRegion(String zone) {
        for (Pattern p : List.of(AWS_ZONE, AWS_EDGE_ZONE, GCP_ZONE)) {
            var m = p.matcher(zone);
            if (m.matches()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /** {@link #inferRegion}, or the name itself for a zone whose name says nothing of its region. */
    public static String regionOf(String zone) {
        return inferRegion(zone).orElse(zone);
    }

    public String source() {
        return source;
    }

    public List<String> zones() {
        return zones;
    }

    public List<String> regions() {
        return regions;
    }

    public int zoneCount() {
        return zones.size();
    }

    public int ticks() {
        return available[0].length;
    }

    public double gapSeconds() {
        return gapSeconds;
    }

    public double gapHours() {
        return gapSeconds / 3600.0;
    }

    /** The lowest on-demand price of any zone's region. */
    public double onDemandPrice() {
        double min = Double.POSITIVE_INFINITY;
        for (double p : onDemand) {
            min = Math.min(min, p);
        }
        return min;
    }

    /** Dollars per hour of on-demand where {@code zone} is. */
    public double onDemandPrice(int zone) {
        return onDemand[zone];
    }

    /** True when no two zones have different on-demand prices. */
    public boolean oneOnDemandPrice() {
        for (double p : onDemand) {
            if (p != onDemand[0]) {
                return false;
            }
        }
        return true;
    }

    /** The placement-score-like hint of {@code zone} at {@code tick}: 1–10, 0 when the trace has none. */
    public int score(int zone, int tick) {
        return scores[zone] == null ? 0 : scores[zone][tick];
    }

    /** True when some zone carries hints. */
    public boolean hasScores() {
        for (int[] s : scores) {
            if (s != null) {
                return true;
            }
        }
        return false;
    }

    public boolean available(int zone, int tick) {
        return available[zone][tick];
    }

    public double price(int zone, int tick) {
        return prices[zone][tick];
    }

    /** The same trace restricted to {@code names}, in that order; unknown names are refused with a suggestion. */
    public Trace select(List<String> names) {
        List<String> regionList = new ArrayList<>();
        int n = names.size();
        boolean[][] a = new boolean[n][];
        double[][] p = new double[n][];
        double[] od = new double[n];
        int[][] sc = new int[n][];
        for (int i = 0; i < n; i++) {
            int z = zones.indexOf(names.get(i));
            if (z < 0) {
                throw SpotkeeperException.invalidArgument("zone " + names.get(i) + " is not in the trace " + source
                        + Names.didYouMean(names.get(i), zones) + "; it has " + String.join(", ", zones));
            }
            regionList.add(regions.get(z));
            a[i] = available[z];
            p[i] = prices[z];
            od[i] = onDemand[z];
            sc[i] = scores[z];
        }
        return new Trace(source, names, regionList, gapSeconds, a, p, od, sc);
    }

    /**
     * The same trace with other on-demand prices: each key is a zone (that zone's price) or a region (every zone
     * in it); a zone's own entry wins over its region's. Unknown names are refused with a suggestion.
     */
    public Trace withOnDemandPrices(Map<String, Double> byZoneOrRegion) {
        double[] od = onDemand.clone();
        for (String key : byZoneOrRegion.keySet()) {
            if (!zones.contains(key) && !regions.contains(key)) {
                List<String> known = new ArrayList<>(new LinkedHashSet<>(regions));
                known.addAll(zones);
                throw SpotkeeperException.invalidArgument("'" + key + "' is neither a zone nor a region of the trace "
                        + source + Names.didYouMean(key, known) + "; regions: "
                        + String.join(", ", new LinkedHashSet<>(regions)));
            }
        }
        for (int z = 0; z < zones.size(); z++) {
            Double price = byZoneOrRegion.getOrDefault(zones.get(z), byZoneOrRegion.get(regions.get(z)));
            if (price != null) {
                od[z] = price;
            }
        }
        return new Trace(source, zones, regions, gapSeconds, available, prices, od, scores);
    }
}
