package dev.spotkeeper.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.aws.internal.SqsEventQueue;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.emulator.services.ServicesOptions;
import dev.spotkeeper.emulator.services.SqsComponent;
import dev.spotkeeper.testkit.cloud.EventQueuePortContract;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** {@code SqsEventQueue} through {@link AwsPorts} against the emulator's SQS (ElasticMQ behind the edge). */
class SqsEventQueueTest extends EventQueuePortContract {
    private static final Duration VISIBILITY = Duration.ofSeconds(1);
    private static EmulatedAws aws;
    private static SqsClient sqs;

    @BeforeAll
    static void start() throws Exception {
        aws = EmulatedAws.start(64, new SqsComponent(ServicesOptions.defaults()));
        sqs = sqsClient();
    }

    private static SqsClient sqsClient(ExecutionInterceptor... interceptors) {
        return SqsClient.builder().endpointOverride(aws.emulator.endpoint()).region(Region.of(EmulatedAws.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        aws.emulator.credentials().accessKeyId(), aws.emulator.credentials().secretAccessKey())))
                .overrideConfiguration(o -> o.executionInterceptors(List.of(interceptors)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        sqs.close();
        aws.close();
    }

    @Override
    protected EventQueuePort newQueue() {
        String url = aws.ports.ensureEventQueue("events-" + UUID.randomUUID().toString().substring(0, 8));
        // Short, so that redelivery shows within a test; the controller keeps SQS's default of 30 s.
        sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT,
                Long.toString(VISIBILITY.toSeconds()))));
        return aws.ports.eventQueue(url);
    }

    @Override
    protected Duration visibilityTimeout() {
        return VISIBILITY;
    }

    @Test
    void ensureEventQueue_asksForSseSqsAndFiveMinutesRetention_andIsSafeToRepeat() {
        String name = "events-" + UUID.randomUUID().toString().substring(0, 8);
        List<CreateQueueRequest> sent = new CopyOnWriteArrayList<>();
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof CreateQueueRequest create) {
                    sent.add(create);
                }
            }
        };
        try (SqsClient recorded = sqsClient(recorder)) {
            String url = SqsEventQueue.createQueue(recorded, name, aws.emulator.endpoint().toString());
            String again = SqsEventQueue.createQueue(recorded, name, aws.emulator.endpoint().toString());

            assertThat(again).isEqualTo(url);
            assertThat(url).endsWith("/" + name);
        }
        // ElasticMQ does not report these two attributes back, so the request is what can be checked here.
        assertThat(sent).hasSize(2).allSatisfy(r -> assertThat(r.attributes())
                .containsEntry(QueueAttributeName.SQS_MANAGED_SSE_ENABLED, "true")
                .containsEntry(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "300"));
        assertThat(aws.ports.ensureEventQueue(name)).endsWith("/" + name);
    }

    @Test
    void receive_fromAQueueThatDoesNotExist_saysToCreateIt() {
        EventQueuePort missing = aws.ports.eventQueue(aws.emulator.endpoint() + "/123456789012/no-such-queue");

        assertThatThrownBy(() -> missing.receive(1, Duration.ZERO)).isInstanceOfSatisfying(SpotkeeperException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("ReceiveMessage").contains("create the events queue");
                });
    }

    @Test
    void receive_takesAtMostTheNumberAskedFor() {
        EventQueuePort queue = newQueue();
        for (int i = 0; i < 5; i++) {
            queue.send("{\"n\":" + i + "}");
        }

        List<?> got = queue.receive(2, Duration.ofSeconds(1));

        assertThat(got).hasSizeBetween(1, 2);
    }
}
