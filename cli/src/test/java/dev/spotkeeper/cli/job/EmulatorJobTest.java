package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.spec.yaml.YamlSpecs;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.emulator.LocalEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The controller on the local emulator through the AWS adapters: a launch, an interruption sent the way FIS
 * sends it, the replacement launched in another pool and the old instance asked to evacuate by tag. The agent
 * is a stand-in (the instance just sleeps), so the test stops at the evacuation request.
 */
class EmulatorJobTest {
    private static final String SPEC = """
            name: emu-train
            requirements:
              regions: [us-east-1]
              types: [m5.large, m5.xlarge, c5.large]
            placement:
              strategy: lowest-price
            run: sleep 600
            """;

    private static LocalEmulator emulator;
    private static EmulatorBackend backend;

    @BeforeAll
    static void start() throws Exception {
        emulator = LocalEmulator.builder().port(0).seed(1).bootDelay(Duration.ZERO).services(true).start();
        backend = new EmulatorBackend(emulator, "sleep 600 #");
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void interruption_onTheEmulator_launchesTheReplacementAndAsksForEvacuation() {
        Controller controller = Jobs.controller(backend);
        controller.submit(YamlSpecs.parse("emu.yaml", SPEC));

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            controller.runOnce();
            return backend.store().instances("emu-train").size() == 1;
        });
        InstanceRecord first = backend.store().instances("emu-train").get(0);
        // The stand-in agent cannot report; send its "started" the way the agent does, on the event queue.
        backend.queue().send(started(first.instanceId()));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            controller.runOnce();
            return backend.store().instance(first.instanceId()).orElseThrow().state() == InstanceState.RUNNING;
        });
        assertThat(backend.compute().find("us-east-1", Map.of("spotkeeper:workload", "emu-train")))
                .extracting(CloudInstance::instanceId).containsExactly(first.instanceId());

        assertThat(emulator.instances().interrupt(first.instanceId(), Duration.ofMinutes(2))).isTrue();

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            controller.runOnce();
            return backend.store().instance(first.instanceId()).orElseThrow().state() == InstanceState.EVACUATING;
        });
        InstanceRecord old = backend.store().instance(first.instanceId()).orElseThrow();
        InstanceRecord next = backend.store().instance(old.replacedBy()).orElseThrow();
        assertThat(next.replaces()).isEqualTo(first.instanceId());
        assertThat(next.poolKey()).isNotEqualTo(first.poolKey());
        assertThat(backend.compute().find("us-east-1", Map.of("spotkeeper:workload", "emu-train")))
                .filteredOn(c -> c.instanceId().equals(first.instanceId()))
                .allSatisfy(c -> assertThat(c.tags()).containsKey("spotkeeper:evacuate"));

        controller.cancel("emu-train");
        controller.runOnce();
        assertThat(backend.store().instances("emu-train")).allMatch(r -> r.state().isTerminal());
    }

    @Test
    void run_withoutACheckpointBucket_onTheEmulator_createsThePlanesBucketPrivateAndEncrypted() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("no-ckpt", ".yaml");
        java.nio.file.Files.writeString(file, "name: emu-nockpt\nrequirements:\n  regions: [us-east-1]\nrun: sleep 600\n");
        var previous = JobBackends.install(o -> new KeptOpen(backend));
        java.io.StringWriter out = new java.io.StringWriter();
        try {
            int code = dev.spotkeeper.cli.Main.commandLine().setOut(new java.io.PrintWriter(out))
                    .setErr(new java.io.PrintWriter(out)).execute("run", file.toString(), "--detach");

            assertThat(code).as(out.toString()).isZero();
        } finally {
            JobBackends.install(previous);
            JobBackends.uninstall();
            java.nio.file.Files.deleteIfExists(file);
        }
        assertThat(out.toString()).contains("checkpoints go to s3://spotkeeper-checkpoints/emu-nockpt/");
        try (var s3 = software.amazon.awssdk.services.s3.S3Client.builder().endpointOverride(emulator.endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey())))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
            var block = s3.getPublicAccessBlock(r -> r.bucket("spotkeeper-checkpoints")).publicAccessBlockConfiguration();
            assertThat(List.of(block.blockPublicAcls(), block.ignorePublicAcls(), block.blockPublicPolicy(),
                    block.restrictPublicBuckets())).containsOnly(true);
            assertThat(s3.getBucketEncryption(r -> r.bucket("spotkeeper-checkpoints"))
                    .serverSideEncryptionConfiguration().rules()).isNotEmpty();
        }
        Jobs.controller(backend).cancel("emu-nockpt");
    }

    private static String started(String instanceId) {
        return dev.spotkeeper.core.json.Json.write(Map.of("version", "0", "id", "started-" + instanceId,
                "detail-type", "Spotkeeper Agent Report", "source", "spotkeeper.agent", "account", "000000000000",
                "time", java.time.Instant.now().toString(), "region", "us-east-1", "resources", List.of(),
                "detail", Map.of("instance-id", instanceId, "workload", "emu-train", "report", "started",
                        "sequence", "1")));
    }
}
