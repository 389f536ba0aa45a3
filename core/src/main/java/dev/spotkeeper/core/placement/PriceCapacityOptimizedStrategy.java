package dev.spotkeeper.core.placement;

import dev.spotkeeper.core.market.PoolSignals;
import java.util.List;

/**
 * EC2's {@code price-capacity-optimized}: first the pools with the most capacity, then the cheapest among
 * them. "Most capacity" is a tier, not a single best pool: placement score within {@link #TIER_WIDTH} of the
 * best candidate's. Pools in the tier rank above every other pool, each group by price.
 */
final class PriceCapacityOptimizedStrategy implements PlacementStrategy {
    static final int TIER_WIDTH = 1;

    @Override
    public String name() {
        return "price-capacity-optimized";
    }

    @Override
    public String description() {
        return "cheapest among the pools with the most capacity (EC2 price-capacity-optimized)";
    }

    @Override
    public Scorer prepare(List<PoolSignals> candidates, PlacementContext context) {
        double best = 0;
        for (PoolSignals p : candidates) {
            best = Math.max(best, CapacityOptimizedStrategy.sps(p));
        }
        double threshold = best - TIER_WIDTH;
        double minInTier = Double.POSITIVE_INFINITY;
        double minOutside = Double.POSITIVE_INFINITY;
        for (PoolSignals p : candidates) {
            if (CapacityOptimizedStrategy.sps(p) >= threshold) {
                minInTier = Math.min(minInTier, p.spotPrice());
            } else {
                minOutside = Math.min(minOutside, p.spotPrice());
            }
        }
        double tierMin = minInTier;
        double otherMin = minOutside;
        return new Scorer() {
            @Override
            public double score(PoolSignals p) {
                boolean inTier = CapacityOptimizedStrategy.sps(p) >= threshold;
                return inTier ? 0.5 + 0.5 * Strategies.priceRatio(tierMin, p.spotPrice())
                        : 0.5 * Strategies.priceRatio(otherMin, p.spotPrice());
            }

            @Override
            public Explanation explain(PoolSignals p) {
                boolean inTier = CapacityOptimizedStrategy.sps(p) >= threshold;
                double min = inTier ? tierMin : otherMin;
                return new Explanation(name(), score(p), List.of(
                        new ScoreTerm("capacity tier", CapacityOptimizedStrategy.sps(p), 0.5, inTier ? 0.5 : 0,
                                (inTier ? "in" : "below") + " the top tier (SPS ≥ " + (int) threshold + "); "
                                        + (p.hasPlacementScore() ? "SPS " + p.placementScore() : "SPS unknown, counted as 5")),
                        new ScoreTerm("spot price $/h", p.spotPrice(), 0.5, 0.5 * Strategies.priceRatio(min, p.spotPrice()),
                                String.format("cheapest in its tier $%.4f", min))));
            }
        };
    }
}
