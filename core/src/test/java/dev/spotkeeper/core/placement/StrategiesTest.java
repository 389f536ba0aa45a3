package dev.spotkeeper.core.placement;

import static dev.spotkeeper.core.placement.Markets.market;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.spotkeeper.core.market.MarketSnapshot;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrategiesTest {
    private static final Requirements ANY = Requirements.builder().build();
    // cheap but scarce and stormy; dear but plentiful and calm; in between
    private static final MarketSnapshot MARKET = market()
            .pool("us-east-1", "use1-az1", "m5.xlarge", 4, 16, 0.05, 1, 4)
            .pool("us-east-1", "use1-az2", "m5.xlarge", 4, 16, 0.09, 9, 0)
            .pool("us-east-1", "use1-az3", "m5.xlarge", 4, 16, 0.07, 8, 2)
            .build();

    private static List<String> order(PlacementStrategy s, PlacementContext c) {
        return Placement.rank(MARKET, ANY, s, c, 3, false).candidates().stream()
                .map(x -> x.signals().pool().azId()).toList();
    }

    private static PlacementContext context() {
        return PlacementContext.defaults(Markets.T, InterruptionMemory.oneHour());
    }

    @Test
    void lowestPrice_ranksByPriceAlone() {
        assertThat(order(Strategies.LOWEST_PRICE, context())).containsExactly("use1-az1", "use1-az3", "use1-az2");
    }

    @Test
    void capacityOptimized_ranksByPlacementScoreFirst() {
        assertThat(order(Strategies.CAPACITY_OPTIMIZED, context())).containsExactly("use1-az2", "use1-az3", "use1-az1");
    }

    @Test
    void priceCapacityOptimized_takesTheCheapestOfTheTopCapacityTier() {
        // az2 (SPS 9) and az3 (SPS 8) form the top tier; az3 is cheaper; az1 (SPS 1) comes last despite its price
        assertThat(order(Strategies.PRICE_CAPACITY_OPTIMIZED, context())).containsExactly("use1-az3", "use1-az2", "use1-az1");
    }

    @Test
    void expectedCost_whenPricesAreFarApart_prefersTheCheapPoolDespiteItsBand() {
        assertThat(order(Strategies.EXPECTED_COST, context()).get(0)).isEqualTo("use1-az1");
    }

    @Test
    void expectedCost_whenPricesAreClose_theCalmerPoolWins() {
        MarketSnapshot close = market()
                .pool("us-east-1", "use1-az1", "m5.xlarge", 4, 16, 0.1000, 2, 4)
                .pool("us-east-1", "use1-az2", "m5.xlarge", 4, 16, 0.1005, 9, 0)
                .build();

        var best = Placement.rank(close, ANY, Strategies.EXPECTED_COST, context(), 1, false).best().orElseThrow();

        assertThat(best.signals().pool().azId()).isEqualTo("use1-az2");
    }

    @Test
    void expectedCost_aPoolThatJustInterruptedUs_dropsUntilTheMemoryExpires() {
        InterruptionMemory memory = new InterruptionMemory(Duration.ofMinutes(30));
        memory.recordInterruption(MARKET.pools().get(0).pool(), Markets.T.minus(Duration.ofMinutes(10)));

        List<String> now = order(Strategies.EXPECTED_COST, PlacementContext.defaults(Markets.T, memory));
        List<String> later = order(Strategies.EXPECTED_COST, PlacementContext.defaults(Markets.T.plus(Duration.ofMinutes(25)), memory));

        assertThat(now.get(0)).isNotEqualTo("use1-az1");
        assertThat(later.get(0)).isEqualTo("use1-az1");
    }

    @Test
    void everyExplanation_givesTheSameScoreAsTheRanking() {
        for (PlacementStrategy s : Strategies.all()) {
            for (Candidate c : Placement.rank(MARKET, ANY, s, context(), 3, false).candidates()) {
                assertThat(c.explain().score()).as(s.name()).isCloseTo(c.score(), within(1e-12));
                assertThat(c.explain().terms()).as(s.name()).isNotEmpty();
                assertThat(c.score()).isBetween(0.0, 1.0);
            }
        }
    }

    @Test
    void expectedCost_explanationShowsThePriceAndTheOverheadItAdds() {
        Candidate c = Placement.rank(MARKET, ANY, Strategies.EXPECTED_COST, context(), 1, false).best().orElseThrow();
        double price = c.explain().terms().get(0).value();
        double overhead = c.explain().terms().stream().filter(t -> t.name().startsWith("restart overhead")).findFirst().orElseThrow().value();
        double expected = c.explain().terms().get(c.explain().terms().size() - 1).value();

        assertThat(price).isEqualTo(0.05);
        assertThat(overhead).isPositive();
        assertThat(expected).isCloseTo(price + overhead, within(1e-12));
    }

    @Test
    void byName_suggestsTheNearestStrategy() {
        assertThat(Strategies.byName("lowest-price")).isSameAs(Strategies.LOWEST_PRICE);
        assertThatThrownBy(() -> Strategies.byName("lowest-prise")).hasMessageContaining("did you mean lowest-price");
    }
}
