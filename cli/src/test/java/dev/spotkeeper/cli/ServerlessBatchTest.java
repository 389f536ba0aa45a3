package dev.spotkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.cli.job.ChainJob;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.emulator.services.lambda.LambdaFunctions;
import dev.spotkeeper.emulator.spi.InstanceControl;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The events function's batches end to end on the deployed stack (the real function jar in the emulator's Lambda):
 * two invocations at once on one batch launch one replacement for one warning.
 */
class ServerlessBatchTest {
    private static final String REGION = DeployedStack.REGION;
    /** Long enough that no job ends during the test. */
    private static final int STEPS = 3000;

    @TempDir
    static Path dir;

    private static DeployedStack stack;

    @BeforeAll
    static void deploy() throws Exception {
        stack = DeployedStack.start(dir, 12);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void twoInvocationsAtOnceOnOneBatch_launchOneReplacementForTheWarning() throws Exception {
        String first = running("batch-twice");
        LambdaFunctions lambdas = stack.emulator.lookup(LambdaFunctions.class).orElseThrow();
        String events = lambdas.list().stream()
                .filter(f -> f.handler().startsWith("dev.spotkeeper.lambda.QueueHandler")).findFirst().orElseThrow()
                .name();
        String warning = warning(first);
        // SQS delivers at least once: the same batch (the warning twice in it) to two invocations at once.
        String batch = Json.write(Map.of("Records", List.of(record(warning), record(warning))));

        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<LambdaFunctions.Result> results = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Callable<LambdaFunctions.Result>> invocations = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                invocations.add(() -> {
                    go.await();
                    return lambdas.invoke(events, batch);
                });
            }
            List<Future<LambdaFunctions.Result>> running = invocations.stream().map(pool::submit).toList();
            go.countDown();
            for (Future<LambdaFunctions.Result> r : running) {
                results.add(r.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(results).as(results.toString()).noneMatch(LambdaFunctions.Result::failed);

        assertThat(launched("batch-twice")).as("every instance EC2 launched for it, ended or not").hasSize(2)
                .extracting(v -> v.tags().get("spotkeeper:generation")).containsExactlyInAnyOrder("1", "2");
        InstanceRecord old = stack.plane.store().instance(first).orElseThrow();
        String replacement = old.replacedBy();
        assertThat(stack.plane.store().instance(replacement).orElseThrow().replaces()).isEqualTo(first);
        // The hand-over completes under the functions (and their schedule) with nothing more launched.
        await("the replacement to run").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> stack.plane.store().instance(replacement).orElseThrow().state() == InstanceState.RUNNING);
        assertThat(launched("batch-twice")).hasSize(2);
        assertThat(stack.plane.store().instances("batch-twice")).hasSize(2);
    }

    /** Submits a long job and waits until the schedule's function launched it and its agent reported it running. */
    private static String running(String name) {
        try (Controller submitter = stack.plane.controller()) {
            submitter.submit(YamlSpecs.parse(name + ".yaml", ChainJob.yaml(name,
                    stack.outputs.get("CheckpointBucketName"), stack.outputs.get("ArtifactsBucketName"), STEPS,
                    "30m")));
        }
        await(name + " running").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> current(name).filter(r -> r.state() == InstanceState.RUNNING).isPresent());
        return current(name).orElseThrow().instanceId();
    }

    private static Optional<InstanceRecord> current(String name) {
        return stack.plane.store().instances(name).stream()
                .filter(r -> !r.state().isTerminal() && r.replacedBy().isEmpty()).reduce((a, b) -> b);
    }

    private static List<InstanceControl.InstanceView> launched(String workload) {
        return stack.emulator.instances().instances().stream()
                .filter(v -> workload.equals(v.tags().get("spotkeeper:workload"))).toList();
    }

    /** EC2's interruption warning for the instance, as EventBridge puts it on the queue. */
    private static String warning(String instanceId) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("version", "0");
        e.put("id", UUID.randomUUID().toString());
        e.put("detail-type", "EC2 Spot Instance Interruption Warning");
        e.put("source", "aws.ec2");
        e.put("account", DeployedStack.ACCOUNT);
        e.put("time", Instant.now().toString());
        e.put("region", REGION);
        e.put("resources", List.of("arn:aws:ec2:" + REGION + ":" + DeployedStack.ACCOUNT + ":instance/" + instanceId));
        e.put("detail", Map.of("instance-id", instanceId, "instance-action", "terminate"));
        return Json.write(e);
    }

    /** One record of Lambda's SQS event. */
    private static Map<String, Object> record(String body) {
        String id = UUID.randomUUID().toString();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("messageId", id);
        r.put("receiptHandle", "receipt-" + id);
        r.put("body", body);
        r.put("attributes", Map.of("ApproximateReceiveCount", "1"));
        r.put("messageAttributes", Map.of());
        r.put("eventSource", "aws:sqs");
        r.put("awsRegion", REGION);
        return r;
    }
}
