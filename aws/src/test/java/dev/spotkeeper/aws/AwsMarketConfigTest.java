package dev.spotkeeper.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.SpotkeeperException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsMarketConfigTest {
    private static final AwsSettings EMULATOR = AwsSettings.defaults().withEndpoint(URI.create("http://127.0.0.1:4566"));

    @Test
    void emulator_readsTheAdvisorFeedAtTheEmulatorsEndpoint_withAOneMinuteTtl() {
        AwsMarket.Config c = AwsMarket.Config.emulator(EMULATOR, List.of("us-east-1"));

        assertThat(c.advisorUrl()).isEqualTo(URI.create("http://127.0.0.1:4566/_spotkeeper/spot-advisor-data.json"));
        assertThat(c.cache().ttl()).isEqualTo(Duration.ofMinutes(1));
        assertThat(AwsMarket.Config.aws(AwsSettings.defaults(), List.of("us-east-1")).advisorUrl())
                .isEqualTo(AwsSignals.SPOT_ADVISOR_URL);
    }

    @Test
    void environment_setsTtlScoredTypesAndAdvisor() {
        AwsMarket.Config c = AwsMarket.Config.aws(AwsSettings.defaults(), List.of("us-east-1")).withEnvironment(Map.of(
                "SPOTKEEPER_MARKET_TTL", "PT2M", "SPOTKEEPER_MARKET_SCORED_TYPES", "m5.large, c5.large,r5.large",
                "SPOTKEEPER_ADVISOR_URL", "file:///tmp/feed.json"));

        assertThat(c.cache().ttl()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.scoredTypes()).containsExactly("m5.large", "c5.large", "r5.large");
        assertThat(c.advisorUrl()).isEqualTo(URI.create("file:///tmp/feed.json"));
        assertThat(c.withEnvironment(Map.of("SPOTKEEPER_MARKET_TTL", "90")).cache().ttl())
                .isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void aTtlThatIsNoDuration_isRefusedWithTheFix() {
        AwsMarket.Config c = AwsMarket.Config.aws(AwsSettings.defaults(), List.of("us-east-1"));

        assertThatThrownBy(() -> c.withEnvironment(Map.of("SPOTKEEPER_MARKET_TTL", "5 minutes")))
                .isInstanceOf(SpotkeeperException.class)
                .hasMessage("SPOTKEEPER_MARKET_TTL must be seconds (300) or an ISO-8601 duration (PT5M), was '5 minutes'");
    }

    @Test
    void emulator_boundsACallAndTheFirstRefreshLongerThanAws() {
        AwsMarket.Config emulator = AwsMarket.Config.emulator(EMULATOR, List.of("us-east-1"));
        AwsMarket.Config aws = AwsMarket.Config.aws(AwsSettings.defaults(), List.of("us-east-1"));

        assertThat(aws.callTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(aws.cache().maxWait()).isEqualTo(Duration.ofSeconds(15));
        assertThat(emulator.callTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(emulator.cache().maxWait()).isEqualTo(Duration.ofSeconds(45));
        assertThat(emulator.withEnvironment(Map.of("SPOTKEEPER_MARKET_TTL", "90")).callTimeout())
                .isEqualTo(Duration.ofSeconds(30));
    }
}
