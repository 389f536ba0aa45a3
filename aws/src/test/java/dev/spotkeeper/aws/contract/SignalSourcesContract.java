package dev.spotkeeper.aws.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.signals.PlacementScore;
import dev.spotkeeper.core.signals.PlacementScoreRequest;
import dev.spotkeeper.core.signals.PlacementScoreSource;
import dev.spotkeeper.core.signals.SpotPrice;
import dev.spotkeeper.core.signals.SpotPriceSource;
import dev.spotkeeper.core.signals.Zone;
import dev.spotkeeper.core.signals.ZoneSource;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every implementation of the signal ports promises, run against each of them (EC2 through the SDK and
 * a fake endpoint; the in-memory one that other tests rely on). Each subclass seeds the same market.
 */
public abstract class SignalSourcesContract {
    /** The sources under test. */
    protected record Sources(SpotPriceSource prices, ZoneSource zones, PlacementScoreSource scores) {
    }

    /** One seeded fact, in the terms both implementations understand. */
    protected record SeedPrice(String region, String azName, String type, String price, Instant time) {
    }

    protected static final List<String[]> ZONES = List.of(
            new String[] {"us-east-1", "us-east-1a", "use1-az4"}, new String[] {"us-east-1", "us-east-1b", "use1-az6"},
            new String[] {"eu-west-1", "eu-west-1a", "euw1-az3"});
    protected static final List<String[]> SCORES = List.of(new String[] {"use1-az4", "9"}, new String[] {"use1-az6", "2"},
            new String[] {"euw1-az3", "6"});
    private static final Instant OLD = Instant.parse("2026-02-01T00:00:00Z");
    private static final Instant NEW = Instant.parse("2026-02-27T12:00:00Z");
    protected static final List<SeedPrice> PRICES = List.of(
            new SeedPrice("us-east-1", "us-east-1a", "m5.large", "0.0500", OLD),
            new SeedPrice("us-east-1", "us-east-1a", "m5.large", "0.0410", NEW),
            new SeedPrice("us-east-1", "us-east-1b", "m5.large", "0.0390", NEW),
            new SeedPrice("us-east-1", "us-east-1a", "c5.large", "0.0330", NEW),
            new SeedPrice("eu-west-1", "eu-west-1a", "m5.large", "0.0450", NEW));
    private static final List<String> THREE = List.of("m5.large", "c5.large", "r5.large");

    private Sources sources;

    /** Sources that hold exactly {@link #ZONES}, {@link #SCORES} and {@link #PRICES}. */
    protected abstract Sources create();

    protected void release() {
    }

    @BeforeEach
    void createSources() {
        sources = create();
    }

    @AfterEach
    void releaseSources() {
        release();
    }

    @Test
    void latestPrices_giveTheNewestPricePerAzAndType() {
        List<SpotPrice> prices = sources.prices().latestPrices("us-east-1", List.of("m5.large"));

        assertThat(prices).extracting(SpotPrice::azName, SpotPrice::pricePerHour, SpotPrice::time)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("us-east-1a", 0.041, NEW),
                        org.assertj.core.groups.Tuple.tuple("us-east-1b", 0.039, NEW));
        assertThat(prices).allSatisfy(p -> assertThat(p.region()).isEqualTo("us-east-1"));
    }

    @Test
    void latestPrices_onlyForTheRequestedTypesAndRegion() {
        assertThat(sources.prices().latestPrices("us-east-1", List.of("c5.large")))
                .singleElement().satisfies(p -> assertThat(p.instanceType()).isEqualTo("c5.large"));
        assertThat(sources.prices().latestPrices("eu-west-1", List.of("c5.large"))).isEmpty();
    }

    @Test
    void zones_mapEachNameToItsId_perRegion() {
        assertThat(sources.zones().zones("us-east-1")).containsExactlyInAnyOrder(
                new Zone("us-east-1", "us-east-1a", "use1-az4"), new Zone("us-east-1", "us-east-1b", "use1-az6"));
    }

    @Test
    void scores_singleAz_giveOneScorePerScoredAzOfTheRequestedRegions() {
        List<PlacementScore> scores = sources.scores().scores(new PlacementScoreRequest(THREE, List.of("us-east-1"), 1, true));

        assertThat(scores).containsExactlyInAnyOrder(new PlacementScore("us-east-1", "use1-az4", 9),
                new PlacementScore("us-east-1", "use1-az6", 2));
    }

    @Test
    void scores_perRegion_haveNoAzId() {
        List<PlacementScore> scores = sources.scores().scores(
                new PlacementScoreRequest(THREE, List.of("us-east-1", "eu-west-1"), 1, false));

        assertThat(scores).hasSize(2).allSatisfy(s -> assertThat(s.azId()).isEmpty());
    }
}
