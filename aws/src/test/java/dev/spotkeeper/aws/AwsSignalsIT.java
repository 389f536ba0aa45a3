package dev.spotkeeper.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spotkeeper.core.signals.RefreshRequest;
import dev.spotkeeper.core.signals.RefreshResult;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Against real AWS (us-east-1): run with {@code mvn -pl aws -am verify -Dtest=AwsSignalsIT
 * -Dsurefire.failIfNoSpecifiedTests=false} and credentials allowed to call the three read-only EC2 actions.
 * Skipped when no credentials resolve.
 */
class AwsSignalsIT {
    @Test
    void refresh_againstAws_pricesAndScoresPools() {
        assumeTrue(credentialsResolve(), "no AWS credentials: skipped");
        try (AwsSignals signals = new AwsSignals(AwsSettings.defaults(), AwsSignals.SPOT_ADVISOR_URL, Clock.systemUTC())) {
            RefreshResult result = signals.refresher().refresh(
                    new RefreshRequest(List.of("us-east-1"), List.of("m5.large", "m6i.large", "m7i.large")));

            assertThat(result.failures()).isEmpty();
            assertThat(result.pools()).isGreaterThanOrEqualTo(3);
            assertThat(result.poolsWithScore()).isPositive();
            assertThat(result.market().orElseThrow().pools())
                    .allSatisfy(p -> assertThat(p.pool().azId()).startsWith("use1-az"));
        }
    }

    private static boolean credentialsResolve() {
        try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
            chain.resolveCredentials();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
