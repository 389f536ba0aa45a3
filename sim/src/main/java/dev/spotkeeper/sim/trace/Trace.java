package dev.spotkeeper.sim.trace;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.SpotkeeperException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Spot availability and price per zone on a common grid of ticks. Tick {@code t} covers
 * {@code [t, t+1) × gap}; availability and price hold for the whole tick. Immutable.
 */
public final class Trace {
    private static final Pattern AWS_ZONE = Pattern.compile("^([a-z]{2}(-[a-z]+)+-\\d+)[a-z]$");

    private final String source;
    private final List<String> zones;
    private final List<String> regions;
    private final double gapSeconds;
    private final boolean[][] available;
    private final double[][] prices;
    private final double onDemandPrice;

    /**
     * @param available {@code available[zone][tick]}, all of the same length
     * @param prices    {@code prices[zone][tick]} in dollars per hour, aligned with {@code available}
     */
    public Trace(String source, List<String> zones, List<String> regions, double gapSeconds,
                 boolean[][] available, double[][] prices, double onDemandPrice) {
        this.source = requireNonNull(source, "source is null");
        this.zones = List.copyOf(zones);
        this.regions = List.copyOf(regions);
        if (this.zones.isEmpty()) {
            throw SpotkeeperException.malformedFile(source, 0, "the trace has no zones");
        }
        if (this.regions.size() != this.zones.size() || available.length != this.zones.size()
                || prices.length != this.zones.size()) {
            throw SpotkeeperException.malformedFile(source, 0, "zones, regions, availability and prices differ in count");
        }
        if (!(gapSeconds > 0)) {
            throw SpotkeeperException.malformedFile(source, 0, "the gap between ticks must be > 0 seconds, got " + gapSeconds);
        }
        if (!(onDemandPrice > 0)) {
            throw SpotkeeperException.malformedFile(source, 0, "the on-demand price must be > 0, got " + onDemandPrice);
        }
        int ticks = available[0].length;
        if (ticks == 0) {
            throw SpotkeeperException.malformedFile(source, 0, "the trace has no rows");
        }
        for (int z = 0; z < available.length; z++) {
            if (available[z].length != ticks) {
                throw SpotkeeperException.malformedFile(source, 0, "unaligned ticks: zone " + this.zones.get(z)
                        + " has " + available[z].length + " ticks, zone " + this.zones.get(0) + " has " + ticks);
            }
            if (prices[z].length != ticks) {
                throw SpotkeeperException.malformedFile(source, 0, "the price series of zone " + this.zones.get(z)
                        + " has " + prices[z].length + " values but the availability has " + ticks + " ticks");
            }
            for (double p : prices[z]) {
                if (!(p >= 0) || Double.isInfinite(p)) {
                    throw SpotkeeperException.malformedFile(source, 0, "zone " + this.zones.get(z)
                            + " has a spot price that is not a finite number >= 0: " + p);
                }
            }
        }
        this.gapSeconds = gapSeconds;
        // Copied so that no caller can change a trace after it was checked.
        this.available = new boolean[available.length][];
        this.prices = new double[prices.length][];
        for (int z = 0; z < available.length; z++) {
            this.available[z] = available[z].clone();
            this.prices[z] = prices[z].clone();
        }
        this.onDemandPrice = onDemandPrice;
    }

    /** The region of an AWS zone name ({@code us-east-2b} → {@code us-east-2}); other names are their own region. */
    public static String regionOf(String zone) {
        var m = AWS_ZONE.matcher(zone);
        return m.matches() ? m.group(1) : zone;
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

    public double onDemandPrice() {
        return onDemandPrice;
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
        boolean[][] a = new boolean[names.size()][];
        double[][] p = new double[names.size()][];
        for (int i = 0; i < names.size(); i++) {
            int z = zones.indexOf(names.get(i));
            if (z < 0) {
                throw SpotkeeperException.invalidArgument("zone " + names.get(i) + " is not in the trace " + source
                        + Names.didYouMean(names.get(i), zones) + "; it has " + String.join(", ", zones));
            }
            regionList.add(regions.get(z));
            a[i] = available[z];
            p[i] = prices[z];
        }
        return new Trace(source, names, regionList, gapSeconds, a, p, onDemandPrice);
    }
}
