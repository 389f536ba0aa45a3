package dev.spotkeeper.core.placement;

import dev.spotkeeper.core.market.PoolSignals;
import java.util.List;

/**
 * EC2's {@code capacity-optimized}: the pool most likely to have capacity, which is the Spot Placement Score
 * first. Among equal scores the calmer interruption band wins, then the lower price. Encoded so the order is
 * lexicographic: score = (SPS + 0.9 × tie-break) / 10.9, tie-break in [0, 1].
 */
final class CapacityOptimizedStrategy implements PlacementStrategy {
    static final double UNKNOWN_SPS = 5;

    @Override
    public String name() {
        return "capacity-optimized";
    }

    @Override
    public String description() {
        return "highest Spot Placement Score, then calmest band, then price (EC2 capacity-optimized)";
    }

    @Override
    public Scorer prepare(List<PoolSignals> candidates, PlacementContext context) {
        double min = Strategies.minPrice(candidates);
        return new Scorer() {
            @Override
            public double score(PoolSignals p) {
                return (sps(p) + 0.9 * tieBreak(p)) / 10.9;
            }

            private double tieBreak(PoolSignals p) {
                return 0.7 * Strategies.calmness(p) + 0.3 * Strategies.priceRatio(min, p.spotPrice());
            }

            @Override
            public Explanation explain(PoolSignals p) {
                double calm = Strategies.calmness(p);
                double price = Strategies.priceRatio(min, p.spotPrice());
                return new Explanation(name(), score(p), List.of(
                        new ScoreTerm("placement score", p.hasPlacementScore() ? p.placementScore() : Double.NaN,
                                1 / 10.9, sps(p) / 10.9, p.hasPlacementScore()
                                        ? "SPS " + p.placementScore() + "/10 for " + Strategies.requestOf(p)
                                        : "unknown, counted as " + (int) UNKNOWN_SPS),
                        new ScoreTerm("interruption band", p.band() == null ? Double.NaN : p.band().index(),
                                0.9 * 0.7 / 10.9, 0.9 * 0.7 * calm / 10.9, Strategies.bandNote(p)),
                        new ScoreTerm("spot price $/h", p.spotPrice(), 0.9 * 0.3 / 10.9, 0.9 * 0.3 * price / 10.9,
                                String.format("cheapest candidate $%.4f", min))));
            }
        };
    }

    static double sps(PoolSignals p) {
        return p.hasPlacementScore() ? p.placementScore() : UNKNOWN_SPS;
    }
}
