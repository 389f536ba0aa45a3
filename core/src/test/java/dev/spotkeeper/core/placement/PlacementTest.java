package dev.spotkeeper.core.placement;

import static dev.spotkeeper.core.placement.Markets.market;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.Architecture;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.io.ShippedMarket;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementTest {
    private static final PlacementContext CONTEXT = PlacementContext.defaults(Markets.T, InterruptionMemory.empty());
    private static final MarketSnapshot MARKET = market()
            .pool("us-east-1", "use1-az1", "m5.large", 2, 8, 0.03, 5, 1)
            .pool("us-east-1", "use1-az1", "m5.xlarge", 4, 16, 0.06, 5, 1)
            .pool("us-east-1", "use1-az2", "m6g.xlarge", 4, 16, 0.05, 5, 1)
            .pool("us-west-2", "usw2-az1", "c5.xlarge", 4, 8, 0.04, 5, 1)
            .pool("us-west-2", "usw2-az2", "r5.xlarge", 4, 32, 0.07, 5, 1)
            .build();

    private static List<String> types(Ranking r) {
        return r.candidates().stream().map(c -> c.signals().pool().instanceType()).toList();
    }

    @Test
    void rank_keepsOnlyPoolsThatMeetEveryRequirement() {
        Requirements req = Requirements.builder().vcpus(4).memoryGib(16).architecture(Architecture.X86_64).build();

        Ranking r = Placement.rank(MARKET, req, Strategies.LOWEST_PRICE, CONTEXT, 10, false);

        assertThat(types(r)).containsExactly("m5.xlarge", "r5.xlarge");
        assertThat(r.poolsMatching()).isEqualTo(2);
        assertThat(r.removedBy()).containsEntry(Requirement.VCPUS, 1).containsEntry(Requirement.MEMORY, 1)
                .containsEntry(Requirement.ARCHITECTURE, 1);
    }

    @Test
    void rank_appliesRegionsFamiliesExclusionsAndMaxPrice() {
        assertThat(types(Placement.rank(MARKET, Requirements.builder().regions(Set.of("us-west-2")).build(),
                Strategies.LOWEST_PRICE, CONTEXT, 10, false))).containsExactly("c5.xlarge", "r5.xlarge");
        assertThat(types(Placement.rank(MARKET, Requirements.builder().families(Set.of("m5")).excludedTypes(Set.of("m5.large")).build(),
                Strategies.LOWEST_PRICE, CONTEXT, 10, false))).containsExactly("m5.xlarge");
        assertThat(types(Placement.rank(MARKET, Requirements.builder().maxPricePerHour(0.045).zones(Set.of("use1-az1", "usw2-az1")).build(),
                Strategies.LOWEST_PRICE, CONTEXT, 10, false))).containsExactly("m5.large", "c5.xlarge");
    }

    @Test
    void rankOrExplain_whenNothingMatches_namesTheRequirementThatRemovedTheMost() {
        Requirements req = Requirements.builder().vcpus(2).gpus(1).build();

        assertThatThrownBy(() -> Placement.rankOrExplain(MARKET, req, Strategies.EXPECTED_COST, CONTEXT, 5, false))
                .isInstanceOf(SpotkeeperException.class)
                .hasMessageContaining("no pool of 5 meets the requirements")
                .hasMessageContaining("--gpus (minimum GPUs) removed the most (5 of 5 pools)")
                .satisfies(e -> assertThat(((SpotkeeperException) e).code()).isEqualTo(ErrorCode.NO_MATCHING_POOL));
    }

    @Test
    void diversify_spreadsTheListAcrossZonesAndTypes() {
        MarketSnapshot m = market()
                .pool("us-east-1", "use1-az1", "m5.xlarge", 4, 16, 0.01, 5, 1)
                .pool("us-east-1", "use1-az1", "m5a.xlarge", 4, 16, 0.011, 5, 1)
                .pool("us-east-1", "use1-az2", "m5.xlarge", 4, 16, 0.012, 5, 1)
                .pool("us-east-1", "use1-az3", "m6i.xlarge", 4, 16, 0.05, 5, 1)
                .build();

        List<String> plain = Placement.rank(m, Requirements.builder().build(), Strategies.LOWEST_PRICE, CONTEXT, 2, false)
                .candidates().stream().map(c -> c.signals().pool().key()).toList();
        List<String> spread = Placement.rank(m, Requirements.builder().build(), Strategies.LOWEST_PRICE, CONTEXT, 2, true)
                .candidates().stream().map(c -> c.signals().pool().key()).toList();

        assertThat(plain).containsExactly("us-east-1/use1-az1/m5.xlarge", "us-east-1/use1-az1/m5a.xlarge");
        assertThat(spread).containsExactly("us-east-1/use1-az1/m5.xlarge", "us-east-1/use1-az3/m6i.xlarge");
    }

    @Test
    void rank_isDeterministicAndOrderedByScore() {
        Ranking a = Placement.rank(ShippedMarket.spotLake(), Requirements.builder().vcpus(4).memoryGib(16).build(),
                Strategies.EXPECTED_COST, CONTEXT, 50, false);
        Ranking b = Placement.rank(ShippedMarket.spotLake(), Requirements.builder().vcpus(4).memoryGib(16).build(),
                Strategies.EXPECTED_COST, CONTEXT, 50, false);

        assertThat(a.candidates()).hasSize(50);
        assertThat(a.candidates().stream().map(c -> c.signals().pool().key()).toList())
                .isEqualTo(b.candidates().stream().map(c -> c.signals().pool().key()).toList());
        for (int i = 1; i < a.candidates().size(); i++) {
            assertThat(a.candidates().get(i).score()).isLessThanOrEqualTo(a.candidates().get(i - 1).score());
        }
    }

    @Test
    void check_suggestsNearestRegionTypeAndFamily() {
        MarketSnapshot lake = ShippedMarket.spotLake();
        var catalog = ShippedMarket.catalog();
        Set<String> regions = ShippedMarket.spotAdvisor().linuxByRegion().keySet();

        assertThatThrownBy(() -> RequirementsCheck.check(Requirements.builder().regions(Set.of("us-east-3")).build(), lake, catalog, regions))
                .hasMessageContaining("unknown region 'us-east-3'").hasMessageContaining("us-east-1")
                .satisfies(e -> assertThat(((SpotkeeperException) e).code()).isEqualTo(ErrorCode.UNKNOWN_REGION));
        assertThatThrownBy(() -> RequirementsCheck.check(Requirements.builder().types(Set.of("m5.xlarg")).build(), lake, catalog, regions))
                .hasMessageContaining("did you mean m5.xlarge");
        assertThatThrownBy(() -> RequirementsCheck.check(Requirements.builder().families(Set.of("c7z")).build(), lake, catalog, regions))
                .hasMessageContaining("unknown instance family 'c7z'");
    }
}
