package dev.spotkeeper.core.placement;

import dev.spotkeeper.core.market.PoolSignals;
import java.util.List;

/** EC2's {@code lowest-price}: the cheapest pool, whatever its capacity. */
final class LowestPriceStrategy implements PlacementStrategy {
    @Override
    public String name() {
        return "lowest-price";
    }

    @Override
    public String description() {
        return "cheapest spot price, capacity ignored (EC2 lowest-price)";
    }

    @Override
    public Scorer prepare(List<PoolSignals> candidates, PlacementContext context) {
        double min = Strategies.minPrice(candidates);
        return new Scorer() {
            @Override
            public double score(PoolSignals p) {
                return Strategies.priceRatio(min, p.spotPrice());
            }

            @Override
            public Explanation explain(PoolSignals p) {
                double s = score(p);
                return new Explanation(name(), s, List.of(new ScoreTerm("spot price $/h", p.spotPrice(), 1.0, s,
                        String.format("cheapest candidate $%.4f / this $%.4f", min, p.spotPrice()))));
            }
        };
    }
}
