package dev.spotkeeper.emulator.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.emulator.LocalEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/** Model instances: running to the API, with neither an IMDS server nor their user data's process. */
class ModelInstancesTest {
    @Test
    void aModelInstance_runs_withoutImdsOrProcess_andTerminates(@TempDir Path work) throws Exception {
        try (LocalEmulator emulator = LocalEmulator.builder().port(0).seed(3).bootDelay(Duration.ZERO).traces(false)
                .modelInstances(true).workDirectory(work).start();
             Ec2Client ec2 = Ec2Client.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                             emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey())))
                     .httpClient(UrlConnectionHttpClient.create()).build()) {
            String userData = Base64.getEncoder().encodeToString("#!/bin/sh\nsleep 300\n".getBytes(StandardCharsets.UTF_8));
            String id = ec2.runInstances(b -> b.imageId("ami-0e5f0a1b2c3d40001").instanceType("m5.large").minCount(1)
                    .maxCount(1).userData(userData)).instances().get(0).instanceId();

            await().atMost(Duration.ofSeconds(20)).until(() -> state(ec2, id) == InstanceStateName.RUNNING);
            // A process instance has its IMDS and its work directory before it is running; a model has neither.
            assertThat(emulator.ec2().imdsEndpoint(id)).isEmpty();
            assertThat(work.resolve("instances").resolve(id)).doesNotExist();

            ec2.terminateInstances(b -> b.instanceIds(id));
            await().atMost(Duration.ofSeconds(20)).until(() -> state(ec2, id) == InstanceStateName.TERMINATED);
        }
    }

    private static InstanceStateName state(Ec2Client ec2, String id) {
        return ec2.describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0).state().name();
    }
}
