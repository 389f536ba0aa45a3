package dev.spotkeeper.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.PoolSignals;
import dev.spotkeeper.core.signals.PlacementScore;
import dev.spotkeeper.core.signals.PlacementScoreRequest;
import dev.spotkeeper.core.signals.RefreshRequest;
import dev.spotkeeper.core.signals.RefreshResult;
import dev.spotkeeper.core.signals.SourceFailure.Signal;
import dev.spotkeeper.core.signals.SpotPrice;
import dev.spotkeeper.core.signals.Zone;
import dev.spotkeeper.testkit.LoopbackFileServer;
import dev.spotkeeper.testkit.MutableClock;
import dev.spotkeeper.testkit.ec2.FakeEc2Endpoint;
import dev.spotkeeper.testkit.ec2.FakeEc2Endpoint.Mode;
import dev.spotkeeper.testkit.ec2.FakeEc2Endpoint.Received;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real AWS SDK client against a fake EC2 endpoint on 127.0.0.1. */
class AwsSignalsTest {
    private static final List<String> TYPES = List.of("m5.large", "m5a.large", "m6i.large");
    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    private FakeEc2Endpoint ec2;
    private LoopbackFileServer advisorServer;
    private AwsSignals signals;

    @BeforeEach
    void setUp() {
        ec2 = FakeEc2Fixture.endpointWithMarket();
        advisorServer = FakeEc2Fixture.advisorServer();
        signals = new AwsSignals(FakeEc2Fixture.settings(ec2.uri()), advisorServer.uri(), clock);
    }

    @AfterEach
    void tearDown() {
        signals.close();
        ec2.close();
        advisorServer.close();
    }

    @Test
    void prices_readEveryPage_andKeepTheNewestPerAzAndType() {
        ec2.pageSize(2);

        List<SpotPrice> prices = signals.prices().latestPrices("us-east-1", TYPES);

        assertThat(prices).hasSize(9);
        assertThat(prices).filteredOn(p -> p.azName().equals("us-east-1b")).extracting(SpotPrice::pricePerHour)
                .containsOnly(0.039);
        assertThat(prices).allSatisfy(p -> assertThat(p.time()).hasToString("2026-02-28T06:30:00Z"));
        List<Received> calls = ec2.received(FakeEc2Endpoint.PRICES);
        assertThat(calls).hasSize(9);
        assertThat(calls).allSatisfy(r -> {
            assertThat(r.region()).isEqualTo("us-east-1");
            assertThat(r.list("ProductDescription")).containsExactly("Linux/UNIX");
            assertThat(r.list("InstanceType")).containsExactlyElementsOf(TYPES);
            assertThat(r.params().get("StartTime")).startsWith("2026-03-01T10:00:00");
        });
        assertThat(calls.get(1).params()).containsEntry("NextToken", "2");
    }

    @Test
    void zones_mapIdsToNames_perRegion_andAskOnce() {
        List<Zone> zones = signals.zones().zones("eu-west-1");
        signals.zones().zones("eu-west-1");

        assertThat(zones).containsExactlyInAnyOrder(new Zone("eu-west-1", "eu-west-1a", "euw1-az3"),
                new Zone("eu-west-1", "eu-west-1b", "euw1-az1"));
        assertThat(ec2.received(FakeEc2Endpoint.ZONES)).singleElement()
                .satisfies(r -> assertThat(r.region()).isEqualTo("eu-west-1"));
    }

    @Test
    void placementScores_sendSingleAzRequestWithEveryType_andReturnAzIds() {
        PlacementScoreRequest request = new PlacementScoreRequest(TYPES, List.of("us-east-1", "eu-west-1"), 4, true);

        List<PlacementScore> scores = signals.placementScores().scores(request);

        assertThat(scores).contains(new PlacementScore("us-east-1", "use1-az4", 9),
                new PlacementScore("eu-west-1", "euw1-az1", 8)).hasSize(5);
        Received sent = ec2.received(FakeEc2Endpoint.SCORES).get(0);
        assertThat(sent.list("InstanceType")).containsExactlyElementsOf(TYPES);
        assertThat(sent.list("RegionName")).containsExactly("eu-west-1", "us-east-1");
        assertThat(sent.params()).containsEntry("SingleAvailabilityZone", "true").containsEntry("TargetCapacity", "4");
    }

    @Test
    void placementScores_secondIdenticalRequestWithinTenMinutes_doesNotCallEc2_afterwardsItDoes() {
        PlacementScoreRequest request = new PlacementScoreRequest(TYPES, List.of("us-east-1"), 1, true);

        signals.placementScores().scores(request);
        clock.advance(Duration.ofMinutes(9).plusSeconds(59));
        signals.placementScores().scores(request);
        assertThat(ec2.calls(FakeEc2Endpoint.SCORES)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        signals.placementScores().scores(request);
        assertThat(ec2.calls(FakeEc2Endpoint.SCORES)).isEqualTo(2);
    }

    @Test
    void refresh_buildsPoolsWithMappedAzsScoresAndAdvisorSignals() {
        RefreshResult result = signals.refresher().refresh(new RefreshRequest(List.of("us-east-1", "eu-west-1"), TYPES));

        MarketSnapshot market = result.market().orElseThrow();
        assertThat(result.failures()).isEmpty();
        assertThat(market.pools()).hasSize(15);
        assertThat(market.regions()).containsExactly("eu-west-1", "us-east-1");
        PoolSignals b = market.pools().stream().filter(p -> p.pool().key().equals("us-east-1/us-east-1b/m5.large"))
                .findFirst().orElseThrow();
        assertThat(b.pool().azId()).isEqualTo("use1-az6");
        assertThat(b.placementScore()).isEqualTo(5);
        assertThat(b.spotPrice()).isEqualTo(0.039);
        assertThat(b.band()).isNotNull();
        assertThat(b.onDemandPrice()).isGreaterThan(b.spotPrice());
        assertThat(market.pools()).allSatisfy(p -> assertThat(p.hasPlacementScore()).isTrue());
        assertThat(ec2.received(FakeEc2Endpoint.SCORES)).singleElement().satisfies(r -> {
            assertThat(r.list("InstanceType")).hasSizeGreaterThanOrEqualTo(3);
            assertThat(r.params()).containsEntry("SingleAvailabilityZone", "true").containsEntry("TargetCapacity", "1");
        });
        assertThat(advisorServer.requests()).isEqualTo(1);
    }

    @Test
    void refresh_whenScoresAreNotAllowed_keepsEveryScoreUnknownAndSaysWhy() {
        ec2.mode(FakeEc2Endpoint.SCORES, Mode.UNAUTHORIZED);

        RefreshResult result = signals.refresher().refresh(new RefreshRequest(List.of("us-east-1"), TYPES));

        assertThat(result.market().orElseThrow().pools()).hasSize(9)
                .allSatisfy(p -> assertThat(p.placementScore()).isZero());
        assertThat(result.failures(Signal.PLACEMENT_SCORES)).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
            assertThat(f.message()).contains("UnauthorizedOperation").contains("ec2:GetSpotPlacementScores");
        });
        assertThat(result.market().orElseThrow().source()).contains("placement score unknown for 9 of 9 pools");
    }

    @Test
    void refresh_whenScoresAreThrottled_reportsThrottledAndInventsNothing() {
        ec2.mode(FakeEc2Endpoint.SCORES, Mode.THROTTLED);

        RefreshResult result = signals.refresher().refresh(new RefreshRequest(List.of("us-east-1"), TYPES));

        assertThat(result.poolsWithScore()).isZero();
        assertThat(result.failures(Signal.PLACEMENT_SCORES)).singleElement()
                .satisfies(f -> assertThat(f.code()).isEqualTo(ErrorCode.THROTTLED));
    }

    @Test
    void prices_whenEc2IsBroken_areUnavailable() {
        ec2.mode(FakeEc2Endpoint.PRICES, Mode.BROKEN);

        assertThatThrownBy(() -> signals.prices().latestPrices("us-east-1", TYPES))
                .isInstanceOfSatisfying(SpotkeeperException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("InternalError");
                });
    }

    @Test
    void prices_whenCredentialsAreRejected_sayWhatToCheck() {
        ec2.mode(FakeEc2Endpoint.PRICES, Mode.AUTH_FAILURE);

        assertThatThrownBy(() -> signals.prices().latestPrices("us-east-1", TYPES))
                .isInstanceOfSatisfying(SpotkeeperException.class, e -> {
                    assertThat(e.code()).as(e.getMessage() + " / " + e.getCause()).isEqualTo(ErrorCode.ACCESS_DENIED);
                    assertThat(e.getMessage()).contains("AuthFailure").contains("aws configure");
                });
    }

    @Test
    void refresh_whenTheEndpointIsDown_hasNoSnapshotAndNamesTheEndpoint() {
        java.net.URI down = FakeEc2Fixture.closedPort();
        try (AwsSignals offline = new AwsSignals(FakeEc2Fixture.settings(down), advisorServer.uri(), clock)) {
            RefreshResult result = offline.refresher().refresh(new RefreshRequest(List.of("us-east-1"), TYPES));

            assertThat(result.market()).isEmpty();
            assertThat(result.mainFailure()).get().satisfies(f -> {
                assertThat(f.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                assertThat(f.message()).contains(down.toString());
            });
        }
    }
}
