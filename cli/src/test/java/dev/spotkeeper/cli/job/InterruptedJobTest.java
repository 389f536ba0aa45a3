package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.aws.AwsPorts;
import dev.spotkeeper.aws.AwsSettings;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import dev.spotkeeper.core.checkpoint.StoredObject;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.spi.InstanceControl.InstanceView;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interruptions end to end on the local emulator, wired as {@code spotkeeper demo} wires it (the AWS adapters,
 * the controller and the real agent started from this class path): a deterministic training-like job run once
 * undisturbed and once interrupted three times, with the controller stopped and replaced by a new one during the
 * last evacuation. Both must upload byte-identical results, and nothing may be left running or launched twice.
 */
class InterruptedJobTest {
    private static final int STEPS = 120;
    private static final String BUCKET = "spotkeeper-train";

    private static LocalEmulator emulator;
    private static EmulatorBackend backend;
    private static AwsPorts s3;

    @BeforeAll
    static void start() throws Exception {
        emulator = LocalEmulator.builder().port(0).seed(1).bootDelay(Duration.ZERO).services(true).start();
        backend = new EmulatorBackend(emulator);
        s3 = new AwsPorts(AwsSettings.defaults().withEndpoint(emulator.endpoint()).withCredentials(
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey()))),
                EmulatorBackend.REGION, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void threeInterruptionsAndAControllerRestart_finishWithTheUninterruptedResult_andLeaveNothingRunning() {
        List<ControllerEvent> restores = new CopyOnWriteArrayList<>();
        Consumer<ControllerEvent> restoreLog = e -> {
            if (e.kind() == ControllerEvent.Kind.RESTORED) {
                restores.add(e);
            }
        };
        Controller controller = Jobs.controller(backend);
        controller.addListener(restoreLog);
        submit(controller, "train-calm");
        submit(controller, "train-stormy");
        controller.start(Duration.ofMillis(200));
        List<String> victims = new ArrayList<>();
        try {
            for (int k = 1; k <= 3; k++) {
                double reached = 0.1 * k;
                String previous = victims.isEmpty() ? null : victims.get(victims.size() - 1);
                // Interrupt only once the instance now doing the work runs and has made progress of its own.
                await("instance to interrupt #" + k).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                        .until(() -> (previous == null || state(previous).isTerminal())
                                && current("train-stormy").filter(r -> r.state() == InstanceState.RUNNING).isPresent()
                                && workload("train-stormy").progress() >= reached);
                String victim = current("train-stormy").orElseThrow().instanceId();
                // Termination in 60 s sends the warning at once and the agent evacuates on its own. The last one
                // is 3 min away, so only the rebalance recommendation comes now and the agent evacuates when the
                // controller tags it: the controller is then surely stopped before the agent can report back.
                Duration notice = k == 3 ? Duration.ofMinutes(3) : Duration.ofSeconds(60);
                assertThat(emulator.instances().interrupt(victim, notice)).as(victim).isTrue();
                victims.add(victim);
                await("evacuation #" + k).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> state(victim) == InstanceState.EVACUATING || state(victim).isTerminal());
                if (k == 3) {
                    // The controller dies mid-evacuation; a new one with no memory takes over the same store and queue.
                    controller.close();
                    assertThat(state(victim)).as("the evacuation was still under way when the controller stopped: "
                                    + controller.events("train-stormy"))
                            .isIn(InstanceState.EVACUATING, InstanceState.EVACUATED);
                    controller = Jobs.controller(backend);
                    controller.addListener(restoreLog);
                    controller.start(Duration.ofMillis(200));
                }
            }
            Controller last = controller;
            await("both jobs to finish").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                    .until(() -> finished("train-calm") && finished("train-stormy"));
            assertThat(workload("train-calm").status()).as(last.events("train-calm").toString())
                    .isEqualTo(WorkloadStatus.SUCCEEDED);
            assertThat(workload("train-stormy").status()).as(last.events("train-stormy").toString())
                    .isEqualTo(WorkloadStatus.SUCCEEDED);
        } finally {
            controller.close();
        }

        Map<String, String> calm = results("train-calm");
        Map<String, String> stormy = results("train-stormy");
        assertThat(calm).containsOnlyKeys("result.txt");
        assertThat(calm.get("result.txt")).startsWith("steps " + STEPS + " state ");
        assertThat(stormy).isEqualTo(calm);

        // Each replacement starts only once the instance it replaces has stopped its job, from the checkpoint that
        // instance committed when it evacuated: the controller restart in the last evacuation changes nothing.
        List<InstanceRecord> line = backend.store().instances("train-stormy");
        for (InstanceRecord next : line.subList(1, line.size())) {
            String replaced = next.replaces();
            assertThat(restores).as(restores.toString()).filteredOn(e -> e.instanceId().equals(next.instanceId())
                    && e.kind() == ControllerEvent.Kind.RESTORED).singleElement()
                    .satisfies(e -> assertThat(e.message()).startsWith("restored ckpt-").contains("-" + replaced + " ("));
        }

        List<InstanceRecord> instances = backend.store().instances("train-stormy");
        assertThat(instances).as("one launch per interruption, none twice").hasSize(4)
                .allMatch(r -> r.state() == InstanceState.TERMINATED);
        assertThat(instances).extracting(InstanceRecord::instanceId).containsAll(victims);
        List<InstanceView> launched = emulator.instances().instances().stream()
                .filter(v -> "train-stormy".equals(v.tags().get("spotkeeper:workload"))).toList();
        assertThat(launched).as("instances the emulator launched").hasSize(4);
        assertThat(launched).extracting(v -> v.tags().get("spotkeeper:generation")).doesNotHaveDuplicates();
        await("every instance gone in EC2").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(backend.compute().find(EmulatorBackend.REGION, Map.of("spotkeeper:managed", "true")))
                        .allMatch(CloudInstance::isGone));
    }

    private static void submit(Controller controller, String name) {
        var spec = YamlSpecs.parse(name + ".yaml", ChainJob.yaml(name, BUCKET, BUCKET, STEPS, "15m"));
        backend.prepare(spec);
        controller.submit(spec);
    }

    private static WorkloadRecord workload(String name) {
        return backend.store().workload(name).orElseThrow();
    }

    private static InstanceState state(String instanceId) {
        return backend.store().instance(instanceId).orElseThrow().state();
    }

    /** The instance doing the work now: neither ended nor replaced. */
    private static Optional<InstanceRecord> current(String name) {
        return backend.store().instances(name).stream()
                .filter(r -> !r.state().isTerminal() && r.replacedBy().isEmpty()).reduce((a, b) -> b);
    }

    private static boolean finished(String name) {
        return workload(name).status().isTerminal()
                && backend.store().instances(name).stream().allMatch(r -> r.state().isTerminal());
    }

    /** The uploaded results, keyed by path below the workload's results prefix; ISO-8859-1 keeps every byte as it is. */
    private static Map<String, String> results(String name) {
        ObjectStore store = s3.objectStore(BUCKET, "");
        String prefix = "results/" + name + "/";
        Map<String, String> out = new TreeMap<>();
        for (StoredObject o : store.list(prefix)) {
            out.put(o.key().substring(prefix.length()),
                    new String(store.getBytes(o.key()).orElseThrow(), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return out;
    }
}
