package dev.spotkeeper.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.placement.Requirements;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.workload.CheckpointSpec;
import dev.spotkeeper.core.workload.JobExtension;
import dev.spotkeeper.core.workload.Limits;
import dev.spotkeeper.core.workload.RelocationSpec;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.plane.Plane;
import dev.spotkeeper.plane.PlaneSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The two handlers invoked in this process as Lambda would invoke them, over planes built from the environment the
 * stack gives the functions, against the embedded emulator (EC2 with instances as processes, SQS, DynamoDB Local).
 * The test plays the agent: user data starts a stand-in, and the test sends the agent's reports.
 */
class HandlersTest {
    private static final String REGION = "us-east-1";
    private static final String ACCOUNT = "000000000000";
    private static final String TABLE = "spotkeeper-lambda-test";
    private static final String BUCKET = "spotkeeper-lambda-test";
    private static final AtomicInteger IDS = new AtomicInteger();

    private static LocalEmulator emulator;
    private static Plane setup;
    private static Map<String, String> environment;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws Exception {
        emulator = LocalEmulator.builder().port(0).seed(1).bootDelay(Duration.ZERO).services(true).start();
        // What the stack creates: the queue, the table and the checkpoint bucket.
        setup = Plane.open(PlaneSettings.emulator(emulator.endpoint(), keys(), REGION, "sleep 600 #").withTable(TABLE)
                .withAccount(ACCOUNT), Clock.systemUTC(), w -> { });
        setup.ports().ensureBucket(BUCKET);
        // What the stack gives the functions, but the endpoint and the agent's stand-in.
        environment = Map.of(
                "SPOTKEEPER_ENDPOINT_URL", emulator.endpoint().toString(),
                "AWS_REGION", REGION,
                "SPOTKEEPER_QUEUE_URL", setup.queueUrl(),
                "SPOTKEEPER_TABLE", TABLE,
                "SPOTKEEPER_CREATE_MISSING", "false",
                "SPOTKEEPER_ACCOUNT", ACCOUNT,
                "SPOTKEEPER_MARKET", "emulator",
                "SPOTKEEPER_IMAGE_ID", "ami-spotkeeper",
                "SPOTKEEPER_AGENT_COMMAND", "sleep 600 #");
    }

    @AfterAll
    static void stop() {
        try {
            if (setup != null) {
                for (CloudInstance c : setup.compute().find(REGION, Map.of("spotkeeper:managed", "true"))) {
                    if (!c.isGone()) {
                        setup.compute().terminate(REGION, c.instanceId());
                    }
                }
                setup.close();
            }
        } finally {
            if (emulator != null) {
                emulator.close();
            }
        }
    }

    private static PlaneSettings.Keys keys() {
        return new PlaneSettings.Keys(emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey());
    }

    /** A function's execution environment: its own plane and controller, from the functions' environment. */
    private Functions function() {
        PlaneSettings settings = PlaneSettings.from(environment).withMarketEnvironment(environment)
                .withEndpoint(emulator.endpoint(), keys());
        Plane plane = Plane.open(settings, Clock.systemUTC(), w -> log.add("warning: " + w));
        planes.add(plane);
        return new Functions(plane, log::add);
    }

    /** The planes of this test's functions, open while their functions are. */
    private final List<Plane> planes = new ArrayList<>();

    private static WorkloadSpec spec(String name) {
        return new WorkloadSpec(name, Requirements.builder().regions(Set.of(REGION))
                .types(Set.of("m5.large", "c5.large")).build(), "lowest-price",
                new Limits(Optional.empty(), Optional.empty(), Optional.empty()), "default",
                new WorkloadSpec.Buckets("", "", "s3://" + BUCKET + "/checkpoints", ""), RelocationSpec.never(),
                new JobExtension("", "sleep 600", new CheckpointSpec("checkpoint", "SIGUSR1", "", Duration.ofMinutes(10))));
    }

    private static StateStore store() {
        return setup.store();
    }

    private static List<InstanceRecord> instances(String workload) {
        return store().instances(workload);
    }

    private static InstanceRecord instance(String id) {
        return store().instance(id).orElseThrow();
    }

    /** Every instance EC2 launched for the workload, whatever became of it. */
    private static List<CloudInstance> launched(String workload) {
        return setup.compute().find(REGION, Map.of("spotkeeper:workload", workload));
    }

    private void scheduled(Functions f) {
        new ScheduleHandler(f).handleRequest(Map.of("source", "aws.events", "detail-type", "Scheduled Event"),
                new FakeContext("schedule-" + IDS.incrementAndGet(), log));
    }

    /** Submits the workload and runs scheduled passes until its first instance is launched; returns its id. */
    private String launchFirst(Functions f, String workload) {
        f.controller().submit(spec(workload));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            scheduled(f);
            return instances(workload).size() == 1;
        });
        return instances(workload).get(0).instanceId();
    }

    private static SQSEvent batch(String... bodies) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (String body : bodies) {
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId("m-" + IDS.incrementAndGet());
            m.setReceiptHandle("receipt-" + m.getMessageId());
            m.setBody(body);
            m.setEventSource("aws:sqs");
            records.add(m);
        }
        SQSEvent e = new SQSEvent();
        e.setRecords(records);
        return e;
    }

    private SQSBatchResponse deliver(Functions f, SQSEvent batch) {
        return new QueueHandler(f).handleRequest(batch, new FakeContext("queue-" + IDS.incrementAndGet(), log));
    }

    private static List<String> failedIds(SQSBatchResponse r) {
        return r.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    private static String event(String source, String detailType, Map<String, ?> detail) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("version", "0");
        e.put("id", "evt-" + IDS.incrementAndGet());
        e.put("detail-type", detailType);
        e.put("source", source);
        e.put("account", ACCOUNT);
        e.put("time", Instant.now().toString());
        e.put("region", REGION);
        e.put("resources", List.of());
        e.put("detail", detail);
        return Json.write(e);
    }

    private static String started(String instanceId, String workload) {
        return event("spotkeeper.agent", "Spotkeeper Agent Report", Map.of("instance-id", instanceId,
                "workload", workload, "report", "started", "sequence", "1"));
    }

    private static String warning(String instanceId) {
        return event("aws.ec2", "EC2 Spot Instance Interruption Warning",
                Map.of("instance-id", instanceId, "instance-action", "terminate"));
    }

    @Test
    void aBatchWithOnePoisonedMessage_reportsOnlyThatOne_andTheOthersAreHandled() {
        try (Functions f = function()) {
            String good = launchFirst(f, "lambda-good");
            String poisoned = launchFirst(f, "lambda-poisoned");
            SQSBatchResponse reports = deliver(f, batch(started(good, "lambda-good"),
                    started(poisoned, "lambda-poisoned")));
            assertThat(reports.getBatchItemFailures()).as(log.toString()).isEmpty();
            assertThat(instance(good).state()).isEqualTo(InstanceState.RUNNING);
            assertThat(instance(poisoned).state()).isEqualTo(InstanceState.RUNNING);

            // A workload whose stored spec no longer reads: every event that needs it fails, every time.
            WorkloadRecord w = store().workload("lambda-poisoned").orElseThrow();
            assertThat(store().updateWorkload(w.withSpecText("{\"schemaVersion\": \"broken"))).isTrue();

            SQSEvent warnings = batch(warning(good), warning(poisoned), "this is not an event");
            String poisonedId = warnings.getRecords().get(1).getMessageId();
            SQSBatchResponse response = deliver(f, warnings);

            assertThat(failedIds(response)).as(log.toString()).containsExactly(poisonedId);
            InstanceRecord old = instance(good);
            assertThat(old.replacedBy()).as("the good workload's replacement").isNotEmpty();
            assertThat(instance(old.replacedBy()).replaces()).isEqualTo(good);
            assertThat(launched("lambda-good")).hasSize(2);
            assertThat(launched("lambda-poisoned")).hasSize(1);
            assertThat(log).anyMatch(l -> l.startsWith("batch: 3 messages, 1 handled, 0 duplicates, 1 malformed, "
                    + "0 ignored, 1 failed"));
            // Jobs only: the cold start and the passes built no Auto Scaling, Elastic Load Balancing or fleet client.
            assertThat(planes).singleElement().satisfies(p -> assertThat(p.ports().fleetClientRegions()).isEmpty());
        }
    }

    @RepeatedTest(3)
    void twoInvocationsOnOneBatch_atOnce_launchOneReplacementForTheWarning() throws Exception {
        String workload = "lambda-twice-" + IDS.incrementAndGet();
        try (Functions a = function(); Functions b = function()) {
            String first = launchFirst(a, workload);
            assertThat(deliver(a, batch(started(first, workload))).getBatchItemFailures()).isEmpty();
            String warning = warning(first);
            // SQS delivers at least once: the same batch (the warning twice in it) to two invocations at once.
            SQSEvent batch = batch(warning, warning);

            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<SQSBatchResponse> responses = new ArrayList<>();
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Callable<SQSBatchResponse>> invocations = new ArrayList<>();
                for (Functions f : List.of(a, b)) {
                    invocations.add(() -> {
                        go.await();
                        return deliver(f, batch);
                    });
                }
                List<Future<SQSBatchResponse>> running = invocations.stream().map(pool::submit).toList();
                go.countDown();
                for (Future<SQSBatchResponse> r : running) {
                    responses.add(r.get(60, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(launched(workload)).as(log.toString()).hasSize(2)
                    .extracting(c -> c.tags().get("spotkeeper:generation")).containsExactlyInAnyOrder("1", "2");
            assertThat(instances(workload)).hasSize(2);
            InstanceRecord old = instance(first);
            assertThat(old.state()).isEqualTo(InstanceState.EVACUATING);
            assertThat(instance(old.replacedBy()).replaces()).isEqualTo(first);
            // Whatever a loser of a conditional write reported failed comes back as a duplicate: nothing more is done.
            for (SQSBatchResponse r : responses) {
                if (!r.getBatchItemFailures().isEmpty()) {
                    assertThat(deliver(b, batch(warning)).getBatchItemFailures()).isEmpty();
                }
            }
            scheduled(a);
            assertThat(launched(workload)).hasSize(2);
        }
    }
}
