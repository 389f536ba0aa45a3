package dev.spotkeeper.emulator.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.spi.CloudEventSink;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.EmulatorContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * The state changes of one instance reach the event queue in the order they happened, however slowly the queue
 * takes them: a controller that reads "terminated" before "pending" of the same instance would think it had
 * launched a fresh instance after the old one ended.
 */
class EventOrderTest {
    @TempDir
    Path work;

    @Test
    void stateChanges_ofOneInstance_reachTheQueueInOrder_evenWhenItsFirstEventIsSlowToDeliver() throws Exception {
        List<String> delivered = new CopyOnWriteArrayList<>();
        CountDownLatch pendingBeingDelivered = new CountDownLatch(1);
        CountDownLatch queueResumes = new CountDownLatch(1);
        // The first delivery is held up (a slow queue), as the pending event of a launch can be.
        CloudEventSink slowFirst = (source, detailType, region, time, resources, detail) -> {
            if ("pending".equals(detail.get("state")) && pendingBeingDelivered.getCount() > 0) {
                pendingBeingDelivered.countDown();
                try {
                    queueResumes.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (detail.containsKey("state")) {
                delivered.add((String) detail.get("state"));
            }
        };
        EmulatorComponent sink = new EmulatorComponent() {
            @Override
            public void start(EmulatorContext context) {
                context.provide(CloudEventSink.class, slowFirst);
            }

            @Override
            public void close() {
            }
        };
        try (LocalEmulator emulator = LocalEmulator.builder().port(0).seed(3).bootDelay(Duration.ofMinutes(5))
                .workDirectory(work).component(sink).start();
             Ec2Client ec2 = Ec2Client.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                             emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey())))
                     .httpClient(UrlConnectionHttpClient.create())
                     .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            CompletableFuture<String> launch = CompletableFuture.supplyAsync(() -> ec2.runInstances(b -> b
                    .imageId("ami-0e5f0a1b2c3d40001").instanceType("m5.large").minCount(1).maxCount(1))
                    .instances().get(0).instanceId());
            assertThat(pendingBeingDelivered.await(30, TimeUnit.SECONDS)).isTrue();
            String id = emulator.instances().instances().get(0).instanceId();

            ec2.terminateInstances(b -> b.instanceIds(id));
            await().atMost(Duration.ofSeconds(15)).until(() -> ec2.describeInstances(b -> b.instanceIds(id))
                    .reservations().get(0).instances().get(0).state().name() == InstanceStateName.TERMINATED);
            queueResumes.countDown();

            assertThat(launch.get(30, TimeUnit.SECONDS)).isEqualTo(id);
            await().atMost(Duration.ofSeconds(15)).until(() -> delivered.contains("terminated"));
            assertThat(delivered).containsExactly("pending", "shutting-down", "terminated");
        }
    }
}
