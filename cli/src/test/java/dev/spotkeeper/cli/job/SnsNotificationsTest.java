package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.store.OutboxEvent;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.core.workload.NotifyEvent;
import dev.spotkeeper.core.workload.NotifySpec;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.core.workload.WorkloadSpecJson;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.notify.NotificationSender;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A workload's {@code sns} sink on the emulator, through the same adapter as on AWS: the sender publishes to the
 * emulator's SNS, which delivers to a queue of its SQS.
 */
class SnsNotificationsTest {
    @Test
    void aWarning_reachesTheWorkloadsTopic_asJsonWithSubjectAndId() throws Exception {
        try (EmulatorBackend backend = new EmulatorBackend(LocalEmulator.builder().port(0).seed(3).services(true).start())) {
            SnsClient sns = backend.ports.sns(EmulatorBackend.REGION);
            String topic = sns.createTopic(b -> b.name("spot-events")).topicArn();
            String queueUrl = backend.ports.ensureEventQueue("spot-events-q");
            SqsClient sqs = SqsClient.builder().endpointOverride(backend.settings.endpointOverride().orElseThrow())
                    .region(software.amazon.awssdk.regions.Region.of(EmulatorBackend.REGION))
                    .credentialsProvider(backend.settings.credentials())
                    .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build();
            String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                    .attributesAsStrings().get("QueueArn");
            sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn));
            WorkloadSpec spec = new WorkloadSpec("train", dev.spotkeeper.core.placement.Requirements.builder().build(),
                    "lowest-price", dev.spotkeeper.core.workload.Limits.NONE, "default",
                    new WorkloadSpec.Buckets("", "", "s3://ckpt/train"),
                    dev.spotkeeper.core.workload.RelocationSpec.never(),
                    new dev.spotkeeper.core.workload.JobExtension("", "true",
                            new dev.spotkeeper.core.workload.CheckpointSpec("ckpt", "SIGUSR1", "", Duration.ofMinutes(5))),
                    new NotifySpec(Optional.empty(), Optional.of(new NotifySpec.Sns(topic)), Optional.empty(),
                            EnumSet.allOf(NotifyEvent.class), "ja"));
            Instant now = Instant.now();
            backend.store().createWorkload(new WorkloadRecord("train", WorkloadSpecJson.write(spec),
                    WorkloadStatus.RUNNING, 0, "", now, now, 0));
            long seq = backend.store().appendEvent(new OutboxEvent(0, now, "train", "i-1", "AT_RISK",
                    "interruption warning (terminate); evacuate by " + now.plusSeconds(120)));

            try (NotificationSender sender = new NotificationSender(backend.store(),
                    Notifications.context(backend, name -> null), NotificationSender.Settings.defaults(),
                    Clock.systemUTC(), line -> { })) {
                sender.start();
                List<Message> got = new CopyOnWriteArrayList<>();
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    got.addAll(sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)).messages());
                    return !got.isEmpty();
                });
                Map<String, Object> envelope = Json.parseObject(got.get(0).body());
                assertThat(envelope).containsEntry("Subject", "spotkeeper: train warning")
                        .containsEntry("MessageAttributes", Map.of(
                                "spotkeeper.id", Map.of("Type", "String", "Value", "train-" + seq),
                                "spotkeeper.event", Map.of("Type", "String", "Value", "warning"),
                                "spotkeeper.workload", Map.of("Type", "String", "Value", "train")));
                Map<String, Object> message = Json.parseObject((String) envelope.get("Message"));
                assertThat(message).containsEntry("id", "train-" + seq).containsEntry("event", "warning")
                        .containsEntry("title", "train: 中断通知").containsEntry("instance", "i-1");
            } finally {
                sqs.close();
            }
        }
    }
}
