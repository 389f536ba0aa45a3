package dev.spotkeeper.core.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.ManualClock;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.PoolSignals;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.core.market.io.SnapshotStore;
import dev.spotkeeper.core.market.io.SpotAdvisorFeed;
import dev.spotkeeper.core.signals.SourceFailure.Signal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignalsRefresherTest {
    private static final List<String> TYPES = List.of("m5.large", "m5a.large", "m6i.large");
    private final ManualClock clock = new ManualClock("2026-03-01T10:00:00Z");
    private final InMemorySignalSources sources = new InMemorySignalSources();
    private SignalsRefresher refresher;

    @BeforeEach
    void setUp() {
        sources.zones.add(new Zone("us-east-1", "us-east-1a", "use1-az4"));
        sources.zones.add(new Zone("us-east-1", "us-east-1b", "use1-az6"));
        Instant t = Instant.parse("2026-02-27T08:00:00Z");
        double price = 0.03;
        for (String type : TYPES) {
            for (String az : List.of("us-east-1a", "us-east-1b")) {
                sources.prices.add(new SpotPrice("us-east-1", az, type, price, t));
                price += 0.001;
            }
        }
        sources.scoreByAzId.put("use1-az4", 9);
        sources.scoreByAzId.put("use1-az6", 3);
        refresher = new SignalsRefresher(sources, sources, sources, sources, ShippedMarket.catalog(), clock, "test-ec2");
    }

    @Test
    void refresh_combinesPriceZoneAdvisorAndScore_perPool() {
        RefreshResult result = refresher.refresh(new RefreshRequest(List.of("us-east-1"), TYPES));

        MarketSnapshot market = result.market().orElseThrow();
        assertThat(result.failures()).isEmpty();
        assertThat(market.time()).isEqualTo(clock.instant());
        assertThat(market.pools()).hasSize(6);
        SpotAdvisorFeed feed = ShippedMarket.spotAdvisor();
        for (PoolSignals p : market.pools()) {
            SpotPrice price = sources.prices.stream().filter(s -> s.azName().equals(p.pool().azName())
                    && s.instanceType().equals(p.pool().instanceType())).findFirst().orElseThrow();
            SpotAdvisorFeed.Entry entry = feed.linux("us-east-1", p.pool().instanceType()).orElseThrow();
            assertThat(p.spotPrice()).isEqualTo(price.pricePerHour());
            assertThat(p.pool().azId()).isEqualTo(p.pool().azName().equals("us-east-1a") ? "use1-az4" : "use1-az6");
            assertThat(p.onDemandPrice()).isCloseTo(price.pricePerHour() / (1 - entry.savingsPercent() / 100.0), within(1e-12));
            assertThat(p.band()).isEqualTo(entry.band());
            assertThat(p.placementScore()).isEqualTo(p.pool().azId().equals("use1-az4") ? 9 : 3);
            assertThat(p.placementRequest()).contains("m5.large+m5a.large+m6i.large").contains("single AZ");
        }
        assertThat(result.poolsWithScore()).isEqualTo(6);
        assertThat(market.source()).contains("test-ec2").doesNotContain("unknown");
    }

    @Test
    void refresh_whenScoresFail_keepsScoresUnknownAndSaysWhy() {
        sources.scoresFailure = SpotkeeperException.of(ErrorCode.THROTTLED, "EC2 throttled GetSpotPlacementScores");

        RefreshResult result = refresher.refresh(new RefreshRequest(List.of("us-east-1"), TYPES));

        MarketSnapshot market = result.market().orElseThrow();
        assertThat(market.pools()).hasSize(6).allSatisfy(p -> {
            assertThat(p.placementScore()).isZero();
            assertThat(p.placementRequest()).isEmpty();
        });
        assertThat(result.failures(Signal.PLACEMENT_SCORES)).singleElement()
                .satisfies(f -> assertThat(f.code()).isEqualTo(ErrorCode.THROTTLED));
        assertThat(market.source()).contains("placement score unknown for 6 of 6 pools").contains("THROTTLED");
    }

    @Test
    void refresh_withFewerThanThreeTypes_asksForNoScoreAndSaysWhy() {
        RefreshResult result = refresher.refresh(new RefreshRequest(List.of("us-east-1"), List.of("m5.large", "m6i.large")));

        assertThat(sources.scoreCalls).hasValue(0);
        assertThat(result.pools()).isEqualTo(4);
        assertThat(result.poolsWithScore()).isZero();
        assertThat(result.failures(Signal.PLACEMENT_SCORES)).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("at least 3 types"));
    }

    @Test
    void refresh_batchesTypesBySize_intoRequestsOfAtLeastThree() {
        List<String> seven = List.of("m5.large", "m5a.large", "m6i.large", "c5.xlarge", "c6i.xlarge", "m5.xlarge", "r5.large");
        for (String type : seven.subList(3, 7)) {
            sources.prices.add(new SpotPrice("us-east-1", "us-east-1a", type, 0.05, clock.instant()));
        }

        RefreshResult result = refresher.refresh(new RefreshRequest(List.of("us-east-1"), seven, 2, 5));

        assertThat(result.scoreRequests()).isEqualTo(2);
        assertThat(sources.scoreRequests).hasSize(2).allSatisfy(r -> {
            assertThat(r.instanceTypes()).hasSizeBetween(3, 5);
            assertThat(r.singleAvailabilityZone()).isTrue();
            assertThat(r.targetCapacity()).isEqualTo(2);
            assertThat(r.regions()).containsExactly("us-east-1");
        });
        assertThat(sources.scoreRequests.stream().flatMap(r -> r.instanceTypes().stream()))
                .containsExactlyInAnyOrderElementsOf(seven);
        assertThat(sources.scoreRequests.get(0).instanceTypes()).contains("m5.large", "m5a.large", "m6i.large");
    }

    @Test
    void refresh_whenPricesFailEverywhere_returnsNoSnapshotAndTheReason() {
        sources.pricesFailure = SpotkeeperException.of(ErrorCode.UNAVAILABLE, "cannot reach EC2");

        RefreshResult result = refresher.refresh(new RefreshRequest(List.of("us-east-1", "eu-west-1"), TYPES));

        assertThat(result.market()).isEmpty();
        assertThat(result.failures(Signal.SPOT_PRICES)).hasSize(2);
        assertThat(result.mainFailure()).get().satisfies(f -> assertThat(f.message()).isEqualTo("cannot reach EC2"));
        assertThat(sources.scoreCalls).hasValue(0);
    }

    @Test
    void refreshInto_whenNothingPriced_leavesTheStoredSnapshotAlone(@TempDir Path dir) throws Exception {
        SnapshotStore store = new SnapshotStore(dir);
        store.save(refresher.refresh(new RefreshRequest(List.of("us-east-1"), TYPES)).market().orElseThrow());
        byte[] before = Files.readAllBytes(store.latestPath());
        sources.pricesFailure = SpotkeeperException.of(ErrorCode.CREDENTIALS_MISSING, "no credentials");
        clock.advance(java.time.Duration.ofHours(1));

        RefreshResult result = refresher.refreshInto(new RefreshRequest(List.of("us-east-1"), TYPES), store);

        assertThat(result.market()).isEmpty();
        assertThat(Files.readAllBytes(store.latestPath())).isEqualTo(before);
    }

    @Test
    void refreshInto_whenPriced_replacesTheStoredSnapshot(@TempDir Path dir) {
        SnapshotStore store = new SnapshotStore(dir);

        refresher.refreshInto(new RefreshRequest(List.of("us-east-1"), TYPES), store);

        MarketSnapshot read = store.latest(ShippedMarket.catalog()).orElseThrow();
        assertThat(read.pools()).hasSize(6);
        assertThat(read.time()).isEqualTo(clock.instant());
        assertThat(read.pools()).allSatisfy(p -> assertThat(p.placementScore()).isPositive());
    }

    @Test
    void refresh_whenAdvisorFails_leavesBandAndOnDemandUnknown() {
        sources.advisorFailure = SpotkeeperException.of(ErrorCode.UNAVAILABLE, "feed unreachable");

        RefreshResult result = refresher.refresh(new RefreshRequest(List.of("us-east-1"), TYPES));

        assertThat(result.market().orElseThrow().pools()).hasSize(6).allSatisfy(p -> {
            assertThat(p.band()).isNull();
            assertThat(p.onDemandPrice()).isNaN();
            assertThat(p.placementScore()).isPositive();
        });
        assertThat(result.failures(Signal.ADVISOR)).singleElement()
                .satisfies(f -> assertThat(f.scope()).isEqualTo("memory:advisor"));
        assertThat(result.market().orElseThrow().source()).contains("Spot Advisor unavailable");
    }

    @Test
    void refresh_whenZonesFail_keepsAzNamesAndLeavesScoresUnknown() {
        sources.zonesFailure = SpotkeeperException.of(ErrorCode.ACCESS_DENIED, "not allowed");

        RefreshResult result = refresher.refresh(new RefreshRequest(List.of("us-east-1"), TYPES));

        assertThat(result.market().orElseThrow().pools()).hasSize(6).allSatisfy(p -> {
            assertThat(p.pool().azId()).isEmpty();
            assertThat(p.pool().azName()).startsWith("us-east-1");
            assertThat(p.placementScore()).isZero();
        });
        assertThat(result.failures(Signal.ZONES)).hasSize(1);
    }

    @Test
    void refresh_withAMisspelledType_reportsItWithASuggestion() {
        RefreshResult result = refresher.refresh(new RefreshRequest(List.of("us-east-1"),
                List.of("m5.large", "m5a.large", "m6i.large", "m5.lage")));

        assertThat(result.pools()).isEqualTo(6);
        assertThat(result.failures(Signal.INSTANCE_TYPES)).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("m5.lage").contains("m5.large"));
    }

    @Test
    void refresh_withOnlyUnknownTypes_storesNothingAndBlamesTheType() {
        sources.advisorFailure = SpotkeeperException.of(ErrorCode.UNAVAILABLE, "feed unreachable");

        RefreshResult result = refresher.refresh(new RefreshRequest(List.of("us-east-1"), List.of("m5.lage")));

        assertThat(result.market()).isEmpty();
        assertThat(result.mainFailure()).get().satisfies(f -> {
            assertThat(f.code()).isEqualTo(ErrorCode.UNKNOWN_INSTANCE_TYPE);
            assertThat(f.message()).contains("m5.large");
        });
    }

    @Test
    void onDemandEstimate_isUnknownWithoutUsableSavings() {
        assertThat(SignalsRefresher.onDemandEstimate(0.04, 60)).isCloseTo(0.1, within(1e-12));
        assertThat(SignalsRefresher.onDemandEstimate(0.04, 0)).isNaN();
        assertThat(SignalsRefresher.onDemandEstimate(0.04, 100)).isNaN();
    }

    @Test
    void refresh_everyType_pricesWhatTheRegionLists_andScoresOnlyTheNamedTypes() {
        sources.prices.add(new SpotPrice("us-east-1", "us-east-1a", "c5.large", 0.02, Instant.parse("2026-02-27T08:00:00Z")));
        sources.prices.add(new SpotPrice("us-east-1", "us-east-1a", "no-such.type", 0.01, Instant.parse("2026-02-27T08:00:00Z")));

        RefreshResult result = refresher.refresh(RefreshRequest.everyType(List.of("us-east-1"), TYPES));

        MarketSnapshot market = result.market().orElseThrow();
        assertThat(market.instanceTypes()).containsExactlyInAnyOrder("m5.large", "m5a.large", "m6i.large", "c5.large");
        assertThat(market.pools()).filteredOn(p -> p.type().name().equals("c5.large")).singleElement()
                .satisfies(p -> assertThat(p.hasPlacementScore()).isFalse());
        assertThat(market.pools()).filteredOn(p -> TYPES.contains(p.type().name()))
                .allSatisfy(p -> assertThat(p.hasPlacementScore()).isTrue());
        assertThat(sources.scoreRequests).allSatisfy(r -> assertThat(r.instanceTypes()).doesNotContain("c5.large"));
    }
}
