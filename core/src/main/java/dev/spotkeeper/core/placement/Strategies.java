package dev.spotkeeper.core.placement;

import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.PoolSignals;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The built-in placement strategies, by name. */
public final class Strategies {
    public static final PlacementStrategy LOWEST_PRICE = new LowestPriceStrategy();
    public static final PlacementStrategy CAPACITY_OPTIMIZED = new CapacityOptimizedStrategy();
    public static final PlacementStrategy PRICE_CAPACITY_OPTIMIZED = new PriceCapacityOptimizedStrategy();
    public static final PlacementStrategy EXPECTED_COST = new ExpectedCostStrategy();

    private static final Map<String, PlacementStrategy> BY_NAME = new LinkedHashMap<>();

    static {
        for (PlacementStrategy s : List.of(LOWEST_PRICE, CAPACITY_OPTIMIZED, PRICE_CAPACITY_OPTIMIZED, EXPECTED_COST)) {
            BY_NAME.put(s.name(), s);
        }
    }

    private Strategies() {
    }

    public static List<PlacementStrategy> all() {
        return List.copyOf(BY_NAME.values());
    }

    public static PlacementStrategy byName(String name) {
        PlacementStrategy s = BY_NAME.get(name);
        if (s == null) {
            throw SpotkeeperException.invalidArgument("unknown strategy '" + name + "'" + Names.didYouMean(name, BY_NAME.keySet())
                    + "; choose one of " + String.join(", ", BY_NAME.keySet()));
        }
        return s;
    }

    static double minPrice(List<PoolSignals> candidates) {
        double min = Double.POSITIVE_INFINITY;
        for (PoolSignals p : candidates) {
            min = Math.min(min, p.spotPrice());
        }
        return min;
    }

    /** cheapest / this, in (0, 1]; a free pool scores 1. */
    static double priceRatio(double min, double price) {
        if (price <= 0) {
            return 1;
        }
        return Math.min(1, min / price);
    }

    /** 1 for the calmest band, 0 for the worst, 0.5 when unknown. */
    static double calmness(PoolSignals p) {
        return p.band() == null ? 0.5 : 1 - p.band().index() / 4.0;
    }

    static String bandNote(PoolSignals p) {
        return p.band() == null ? "band unknown" : "band " + p.band().index() + " (" + p.band().label() + " a month)";
    }

    static String requestOf(PoolSignals p) {
        return p.placementRequest().isEmpty() ? "an unrecorded request" : p.placementRequest();
    }
}
