package dev.spotkeeper.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.ErrorType;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.services.ServicesOptions;
import dev.spotkeeper.emulator.services.SqsComponent;
import dev.spotkeeper.emulator.services.sns.SnsComponent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** {@code AwsPorts.topics()} (SNS behind core's TopicPort) against the emulator's SNS, delivering to its SQS. */
class SnsTopicsTest {
    private static EmulatedAws aws;

    @BeforeAll
    static void start() throws Exception {
        ServicesOptions options = ServicesOptions.defaults().withRegion(EmulatedAws.REGION);
        aws = EmulatedAws.start(64, new SqsComponent(options), new SnsComponent(options));
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    @Test
    void publish_reachesTheTopicsQueue_withSubjectAndAttributes() {
        SnsClient sns = aws.ports.sns(EmulatedAws.REGION);
        String topic = sns.createTopic(b -> b.name("spot-events")).topicArn();
        String queueUrl = aws.ports.ensureEventQueue("spot-events-q");
        SqsClient sqs = SqsClient.builder().endpointOverride(aws.emulator.endpoint())
                .region(software.amazon.awssdk.regions.Region.of(EmulatedAws.REGION))
                .credentialsProvider(aws.settings.credentials())
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn));

        String id = aws.ports.topics().publish(topic, "spotkeeper: train warning", "{\"id\":\"train-1\"}",
                Map.of("spotkeeper.id", "train-1"));

        List<Message> got = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            got.addAll(sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)).messages());
            return !got.isEmpty();
        });
        assertThat(Json.parseObject(got.get(0).body())).containsEntry("MessageId", id)
                .containsEntry("Subject", "spotkeeper: train warning").containsEntry("Message", "{\"id\":\"train-1\"}");
        sqs.close();
    }

    @Test
    void publish_toATopicThatDoesNotExist_isAnErrorThatIsNotRetried() {
        assertThatThrownBy(() -> aws.ports.topics().publish("arn:aws:sns:" + EmulatedAws.REGION
                + ":000000000000:missing", "s", "m", Map.of())).isInstanceOf(SpotkeeperException.class)
                .satisfies(e -> assertThat(((SpotkeeperException) e).code().type()).isNotEqualTo(ErrorType.TRANSIENT))
                .hasMessageContaining("Publish failed with NotFound");
    }
}
