package dev.spotkeeper.aws;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.testkit.cloud.EventQueuePortContract;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The queue contract against real SQS in {@code AWS_REGION} (default us-east-1): run with {@code mvn -pl aws -am
 * verify -Dtest=SqsEventQueueIT -Dsurefire.failIfNoSpecifiedTests=false}. Each test makes a queue
 * {@code spotkeeper-it-…} through the setup helper (visibility timeout then lowered to 2 s) and deletes it
 * afterwards. Skipped when no credentials resolve.
 */
class SqsEventQueueIT extends EventQueuePortContract {
    private static final Duration VISIBILITY = Duration.ofSeconds(2);
    private static AwsPorts ports;
    private static SqsClient sqs;
    private static final List<String> created = new ArrayList<>();

    @BeforeAll
    static void connect() {
        assumeTrue(AwsCredentials.resolve(), "no AWS credentials: skipped");
        String region = System.getenv().getOrDefault("AWS_REGION", "us-east-1");
        ports = new AwsPorts(AwsSettings.defaults(), region, Clock.systemUTC());
        sqs = SqsClient.builder().region(Region.of(region)).build();
    }

    @AfterAll
    static void close() {
        if (ports != null) {
            created.forEach(url -> sqs.deleteQueue(r -> r.queueUrl(url)));
            sqs.close();
            ports.close();
        }
    }

    @Override
    protected EventQueuePort newQueue() {
        String url = ports.ensureEventQueue("spotkeeper-it-" + UUID.randomUUID().toString().substring(0, 8));
        created.add(url);
        sqs.setQueueAttributes(r -> r.queueUrl(url).attributesWithStrings(
                Map.of("VisibilityTimeout", Long.toString(VISIBILITY.toSeconds()))));
        return ports.eventQueue(url);
    }

    @Override
    protected Duration visibilityTimeout() {
        return VISIBILITY;
    }
}
