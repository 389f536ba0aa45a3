package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.aws.AwsPorts;
import dev.spotkeeper.aws.AwsSettings;
import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.core.ledger.LedgerEntry;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.market.PoolView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The controller's rules on the local emulator (EC2 with instances as processes, ElasticMQ, DynamoDB Local,
 * EventBridge-style delivery), through the AWS adapters as {@code spotkeeper run} uses them: duplicate, out-of-order
 * and malformed events, the budget and max-duration limits, and relocation that does not loop. One emulator serves
 * every test; each test has its own workload and controller. Where the agent's timing is what is tested, the real
 * agent runs (started by user data from this class path); where the order of its reports is, the test sends them.
 * Limits and relocation need hours of controller time: the controller's clock runs ahead of the emulator's by an
 * offset the test moves, while instances and agents keep real time.
 */
class EmulatorRulesTest {
    private static final String BUCKET = "spotkeeper-rules";

    /** A job whose instance the test plays the agent of (user data starts a stand-in). */
    private static final String STAND_IN_SPEC = """
            name: %s
            requirements:
              regions: [us-east-1]
              types: [m5.large, c5.large, m5.xlarge]
            placement:
              strategy: lowest-price
            run: sleep 600
            """;

    /** A job for the real agent: counts forever, and writes its count as its checkpoint when asked (SIGUSR1). */
    private static final String AGENT_SPEC = """
            name: %1$s
            requirements:
              regions: [us-east-1]
              types: [m5.large]
            placement:
              strategy: lowest-price
            %2$s
            buckets:
              checkpoints: s3://%3$s/checkpoints
            run: >-
              d="$SPOTKEEPER_CHECKPOINT_DIR"; n=$(cat "$d/n" 2>/dev/null || echo 0);
              trap 'echo "$n" > "$d/n.tmp"; mv "$d/n.tmp" "$d/n"; touch "$d/.spotkeeper-ready"' USR1;
              while true; do n=$((n + 1)); sleep 0.2; done
            checkpoint:
              dir: checkpoint
              signal: SIGUSR1
              syncInterval: 10m
            """;

    /**
     * A job for the fence: a 32 MiB model that never changes and a step counter, a slow checkpoint (20 s, as a large
     * model's save is: longer than a replacement takes to boot here, so a replacement that did not wait would start
     * while this one still runs), and its start and stop (step and time in ns) in {@code times} of its instance's
     * directory.
     */
    private static final String FENCE_SPEC = """
            name: %1$s
            requirements:
              regions: [us-east-1]
              types: [m5.large, c5.large]
            placement:
              strategy: lowest-price
            buckets:
              checkpoints: s3://%2$s/checkpoints
            run: >-
              d="$SPOTKEEPER_CHECKPOINT_DIR"; [ -f "$d/model.bin" ] || head -c 33554432 /dev/urandom > "$d/model.bin";
              i=$(cat "$d/step" 2>/dev/null || echo 0); echo "start $i $(date +%%s%%N)" >> "$PWD/times";
              trap 'sleep 20; echo "$i" > "$d/step.tmp"; mv "$d/step.tmp" "$d/step"; touch "$d/.spotkeeper-ready"' USR1;
              trap 'echo "stop $i $(date +%%s%%N)" >> "$PWD/times"; exit 143' TERM;
              while true; do i=$((i + 1)); sleep 0.1; done
            checkpoint:
              dir: checkpoint
              signal: SIGUSR1
              syncInterval: 10m
            """;

    private static LocalEmulator emulator;
    private static EmulatorBackend backend;
    private static AwsPorts ports;

    @BeforeAll
    static void start() throws Exception {
        emulator = LocalEmulator.builder().port(0).seed(1).bootDelay(Duration.ZERO).services(true).start();
        backend = new EmulatorBackend(emulator);
        ports = new AwsPorts(AwsSettings.defaults().withEndpoint(emulator.endpoint()).withCredentials(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(emulator.credentials().accessKeyId(),
                        emulator.credentials().secretAccessKey()))), EmulatorBackend.REGION, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        try {
            if (backend != null) {
                for (CloudInstance c : backend.compute().find(EmulatorBackend.REGION,
                        Map.of("spotkeeper:managed", "true"))) {
                    if (!c.isGone()) {
                        backend.compute().terminate(EmulatorBackend.REGION, c.instanceId());
                    }
                }
            }
        } finally {
            if (ports != null) {
                ports.close();
            }
            if (backend != null) {
                backend.close();
            } else if (emulator != null) {
                emulator.close();
            }
        }
    }

    private static RulesRig standIn(String name) {
        RulesRig rig = new RulesRig(name, backend, emulator, ports, RulesRig.STAND_IN_AGENT);
        rig.submit(STAND_IN_SPEC.formatted(name));
        return rig;
    }

    private static RulesRig withAgent(String name, String extraSpec) {
        RulesRig rig = new RulesRig(name, backend, emulator, ports, backend.config().agentCommand());
        rig.submit(AGENT_SPEC.formatted(name, extraSpec, BUCKET));
        return rig;
    }

    @Test
    void replacement_startsOnlyOnceTheOldJobStopped_andResumesFromTheEvacuatedCheckpoint() {
        RulesRig rig = new RulesRig("rules-fence", backend, emulator, ports, backend.config().agentCommand());
        try (rig) {
            rig.submit(FENCE_SPEC.formatted(rig.name, BUCKET));
            try {
                String first = rig.launchFirst(false);
                rig.passUntil("the first job to start", 30, () -> complete(times(first), "start").count() == 1);
                assertThat(emulator.instances().interrupt(first, Duration.ofSeconds(90))).isTrue();

                rig.passUntil("the replacement's restore", 90, () -> !rig.instance(first).replacedBy().isEmpty()
                        && !rig.events(rig.instance(first).replacedBy(), Kind.RESTORED).isEmpty());
                String second = rig.instance(first).replacedBy();
                // A line counts once it is whole: the job's shell may be writing it while the test reads the file.
                rig.passUntil("the replacement's job to start", 30, () -> complete(times(second), "start").count() >= 1);
                rig.passUntil("the old job to have stopped and its evacuation to be reported", 60, () ->
                        complete(times(first), "stop").count() >= 1 && !rig.events(first, Kind.EVACUATED).isEmpty());

                String evacuated = rig.events(first, Kind.EVACUATED).get(0).message().replace("checkpoint ", "");
                assertThat(rig.events(second, Kind.RESTORED)).as(rig.events().toString()).singleElement()
                        .satisfies(e -> assertThat(e.message()).startsWith("restored " + evacuated + " "));
                long oldStop = Long.parseLong(complete(times(first), "stop").findFirst().orElseThrow().split(" ")[2]);
                long newStart = Long.parseLong(complete(times(second), "start").findFirst().orElseThrow()
                        .split(" ")[2]);
                assertThat(newStart).as("the replacement's job started after the old one stopped (ns)")
                        .isGreaterThan(oldStop);
                assertThat(times(first).stream().filter(t -> t.startsWith("start "))).as("the old job ran once")
                        .hasSize(1);
                // What `spotkeeper logs` shows: the agent's lines as plain lines, not java.util.logging records.
                assertThat(backend.compute().consoleOutput(EmulatorBackend.REGION, second).lines())
                        .anyMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ agent: restored checkpoint="
                                + java.util.regex.Pattern.quote(evacuated) + " .*"))
                        .noneMatch(l -> l.startsWith("INFO: ") || l.contains(" dev.spotkeeper.agent."));
            } finally {
                rig.finish();
            }
        }
    }

    /** The {@code times} lines of the job on the instance: "start|stop step nanos". */
    /** The whole lines of {@code what} ({@code start} or {@code stop}): the word, the step and the time in ns. */
    private static java.util.stream.Stream<String> complete(List<String> times, String what) {
        return times.stream().filter(t -> t.matches(what + " \\d+ \\d+"));
    }

    private static List<String> times(String instanceId) {
        java.nio.file.Path f = emulator.workDirectory().resolve("instances").resolve(instanceId).resolve("times");
        try {
            return java.nio.file.Files.exists(f) ? java.nio.file.Files.readAllLines(f) : List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void duplicateWarningAndReport_areCountedAsDuplicates_andLaunchOneReplacement() {
        try (RulesRig rig = standIn("rules-duplicate")) {
            try {
                rig.passUntil("the first launch", 60, () -> rig.instances().size() == 1);
                String first = rig.instances().get(0).instanceId();
                String started = rig.report(first, "started", 1, Map.of());
                backend.queue().send(started);
                backend.queue().send(started);
                rig.passUntil("both copies of the report to be read", 30,
                        () -> rig.duplicates() >= 1 && rig.state(first) == InstanceState.RUNNING);
                assertThat(rig.events(first, Kind.RUNNING)).as(rig.events().toString()).hasSize(1);

                String warning = rig.warning(first, rig.clock.instant());
                backend.queue().send(warning);
                backend.queue().send(warning);
                rig.passUntil("both copies of the warning to be read", 30,
                        () -> rig.duplicates() >= 2 && rig.state(first) == InstanceState.EVACUATING);
                rig.pass();

                assertThat(rig.events(first, Kind.AT_RISK)).as(rig.events().toString()).hasSize(1);
                assertThat(rig.events(first, Kind.EVACUATING)).hasSize(1);
                assertThat(rig.events().stream().filter(e -> e.kind() == Kind.LAUNCHED)).hasSize(2);
                String second = rig.instance(first).replacedBy();
                assertThat(rig.instance(second).replaces()).isEqualTo(first);
                assertThat(rig.instances()).hasSize(2);
                assertThat(rig.launched()).as("instances the emulator launched").hasSize(2)
                        .extracting(v -> v.tags().get("spotkeeper:generation")).containsExactlyInAnyOrder("1", "2");
                assertThat(rig.cloudLive()).filteredOn(c -> c.instanceId().equals(first))
                        .singleElement().satisfies(c -> assertThat(c.tags()).containsKey("spotkeeper:evacuate"));
            } finally {
                rig.finish();
            }
        }
    }

    @Test
    void outOfOrderEvents_converge_withoutASecondReplacementOrAResurrection() {
        try (RulesRig rig = standIn("rules-out-of-order")) {
            try {
                // The agent saw a notice in IMDS and sent "evacuating" then "evacuated"; they arrive the other way.
                String first = rig.launchFirst(true);
                String checkpoint = "ckpt-0000000001-" + first;
                Instant deadline = rig.clock.instant().plus(Duration.ofMinutes(2));
                rig.deliver(rig.report(first, "evacuated", 3, Map.of("checkpoint", checkpoint, "bytes", "2",
                        "seconds", "0.1")));
                rig.deliver(rig.report(first, "evacuating", 2, Map.of("deadline", deadline.toString(),
                        "plannedSeconds", "0.1", "fits", "true")));
                rig.passUntil("the evacuated instance to go", 30, () -> rig.state(first) == InstanceState.TERMINATED);

                assertThat(rig.instances()).as(rig.events().toString()).hasSize(2);
                String second = rig.instance(first).replacedBy();
                assertThat(rig.instance(second).replaces()).isEqualTo(first);
                assertThat(rig.workload().lastCheckpoint()).isEqualTo(checkpoint);

                // AWS takes the replacement; its "terminated" state-change is read first, its warning after it.
                rig.deliver(rig.report(second, "started", 1, Map.of()));
                rig.passUntil("the replacement to run", 30, () -> rig.state(second) == InstanceState.RUNNING);
                Instant warnedAt = rig.clock.instant();
                backend.compute().terminate(EmulatorBackend.REGION, second);
                rig.passUntil("the terminated state-change to be read", 30, () -> rig.queue.deletedAny(
                        b -> b.contains(second) && b.contains("State-change") && b.contains("\"terminated\"")));
                rig.passUntil("the next replacement", 30, () -> rig.instances().size() == 3);
                rig.deliver(rig.warning(second, warnedAt));
                rig.pass();

                assertThat(rig.state(second)).as("not resurrected").isEqualTo(InstanceState.TERMINATED);
                assertThat(rig.events(second, Kind.AT_RISK)).as(rig.events().toString()).isEmpty();
                assertThat(rig.state(first)).isEqualTo(InstanceState.TERMINATED);
                assertThat(rig.instances()).hasSize(3);
                assertThat(rig.launched()).as("instances the emulator launched").hasSize(3);
                InstanceRecord third = rig.instances().get(2);
                assertThat(third.replaces()).isEqualTo(second);
                assertThat(third.state()).isIn(InstanceState.PENDING, InstanceState.RUNNING);
                assertThat(rig.cloudLive()).extracting(CloudInstance::instanceId).containsExactly(third.instanceId());
                assertThat(rig.workload().status()).isEqualTo(WorkloadStatus.RUNNING);
            } finally {
                rig.finish();
            }
        }
    }

    @Test
    void malformedMessages_areJournalledWithTheReasonAndDeleted_andTheJobRunsOn() {
        try (RulesRig rig = standIn("rules-malformed")) {
            try {
                String first = rig.launchFirst(true);
                InstanceRecord before = rig.instance(first);

                rig.deliver("this is not JSON (" + rig.name + ")");
                rig.deliver("{\"greeting\": \"valid JSON, but not an event\", \"from\": \"" + rig.name + "\"}");

                assertThat(rig.malformed()).isGreaterThanOrEqualTo(2);
                assertThat(rig.controller.events("")).filteredOn(e -> e.kind() == Kind.MALFORMED_EVENT)
                        .extracting(ControllerEvent::message)
                        .anySatisfy(m -> assertThat(m).startsWith("message:1: not valid JSON").endsWith("; deleted"))
                        .anySatisfy(m -> assertThat(m).contains("not an EventBridge event"));
                assertThat(rig.instance(first)).isEqualTo(before);
                assertThat(rig.instances()).hasSize(1);
                assertThat(rig.workload().status()).isEqualTo(WorkloadStatus.RUNNING);
                assertThat(rig.cloudLive()).extracting(CloudInstance::instanceId).containsExactly(first);
            } finally {
                rig.finish();
            }
        }
    }

    @Test
    void budget_checkpointsAndStops_beforeTheLedgerPassesIt() {
        // At $0.10/h a one-cent budget lasts six minutes, the final evacuation's share included.
        try (RulesRig.HeldPrices held = RulesRig.holdPrices(emulator, "m5.large", 0.10);
             RulesRig rig = withAgent("rules-budget", "budget: 0.01")) {
            try {
                String first = rig.launchFirst(false);
                // A minute of controller time per pass: the limit must bite before the money is gone.
                for (int i = 0; i < 600 && !rig.workload().status().isTerminal(); i++) {
                    rig.clock.advance(Duration.ofMinutes(1));
                    rig.pass();
                }

                assertThat(rig.workload().status()).as(rig.events().toString()).isEqualTo(WorkloadStatus.FAILED);
                assertThat(rig.events()).anySatisfy(e -> assertThat(e.kind()).isEqualTo(Kind.LIMIT_REACHED))
                        .filteredOn(e -> e.kind() == Kind.FAILED).singleElement()
                        .satisfies(e -> assertThat(e.message()).startsWith("budget $0.01 would be passed"));
                assertThat(rig.state(first)).isEqualTo(InstanceState.EVACUATING);
                assertThat(rig.cloudLive()).singleElement()
                        .satisfies(c -> assertThat(c.tags()).containsKey("spotkeeper:evacuate"));

                // The real agent commits its checkpoint; only then does the instance go.
                rig.passUntil("the evacuation and the termination", 90,
                        () -> rig.state(first) == InstanceState.TERMINATED && rig.cloudLive().isEmpty());
                assertThat(rig.events(first, Kind.EVACUATED)).as(rig.events().toString()).singleElement()
                        .satisfies(e -> assertThat(e.message()).startsWith("checkpoint ckpt-"));
                assertThat(rig.workload().lastCheckpoint()).startsWith("ckpt-").endsWith(first);
                rig.passUntil("the last ledger entry", 30, () -> rig.billedToTheEnd(first));
                double total = rig.store.ledger(rig.name).stream().mapToDouble(LedgerEntry::amount).sum();
                assertThat(total).isPositive().isLessThanOrEqualTo(0.01);
                assertThat(rig.controller.spent(rig.name)).isCloseTo(total, Offset.offset(1e-9));
            } finally {
                rig.finish();
            }
        }
    }

    @Test
    void maxDuration_endsTheJobBeforeTheLimit_andUserDataArmsTheFailSafe() {
        try (RulesRig rig = withAgent("rules-max-duration", "maxDuration: 30m")) {
            try {
                String first = rig.launchFirst(false);
                String userData = rig.userData(first);
                Matcher failSafe = Pattern.compile("\\( sleep (\\d+) && shutdown -h now \\) &").matcher(userData);
                assertThat(failSafe.find()).as(userData).isTrue();
                // 30 min from the job's start, which comes within the agent start timeout (10 min) of the launch, plus
                // the evacuation grace.
                assertThat(Long.parseLong(failSafe.group(1))).isEqualTo(2430L);
                assertThat(userData).contains("agent --workload " + rig.name);
                rig.passUntil("the job to start", 60, () -> rig.workload().run().startedAt().isPresent());
                Instant limit = rig.workload().run().startedAt().orElseThrow().plus(Duration.ofMinutes(30));

                rig.clock.advance(Duration.between(rig.clock.instant(), limit.minusSeconds(40)));
                rig.pass();
                assertThat(rig.workload().status()).as("the limit counts from the job's start")
                        .isEqualTo(WorkloadStatus.RUNNING);
                assertThat(rig.state(first)).isEqualTo(InstanceState.RUNNING);

                rig.clock.advance(Duration.ofSeconds(10));
                rig.pass();
                assertThat(rig.workload().status()).as(rig.events().toString()).isEqualTo(WorkloadStatus.FAILED);
                assertThat(rig.events()).filteredOn(e -> e.kind() == Kind.FAILED).singleElement()
                        .satisfies(e -> assertThat(e.message()).startsWith("max duration PT30M reached (counted from"
                                + " the job's start"));
                assertThat(rig.state(first)).isEqualTo(InstanceState.EVACUATING);

                rig.passUntil("the evacuation and the termination", 90,
                        () -> rig.state(first) == InstanceState.TERMINATED && rig.cloudLive().isEmpty());
                assertThat(rig.events(first, Kind.EVACUATED)).as(rig.events().toString()).hasSize(1);
                assertThat(rig.instance(first).updatedAt()).as("ended before the limit").isBefore(limit);
                assertThat(rig.launched()).hasSize(1);
            } finally {
                rig.finish();
            }
        }
    }

    @Test
    void cheaperPool_relocatesOnce_evacuatingFirst_andDoesNotLoop() {
        try (RulesRig.HeldPrices held = RulesRig.holdPrices(emulator, "m5.large", 0.05);
             RulesRig rig = withAgent("rules-relocation", "relocation:\n  every: 10m\n  minGain: 0.2")) {
            assertThat(held.pools()).as("m5.large pools in the emulator's market").filteredOn(PoolView::available)
                    .hasSizeGreaterThanOrEqualTo(2);
            try {
                String first = rig.launchFirst(false);
                String from = rig.instance(first).poolKey();
                PoolView better = held.pools().stream().filter(p -> p.available() && !p.key().equals(from))
                        .findFirst().orElseThrow();
                emulator.market().forcePrice(better.region(), better.azName(), "m5.large", 0.02);

                rig.clock.advance(Duration.ofMinutes(11));
                rig.pass();
                assertThat(rig.events(first, Kind.RELOCATING)).as(rig.events().toString()).hasSize(1);
                assertThat(rig.state(first)).isEqualTo(InstanceState.EVACUATING);
                assertThat(rig.launched()).as("nothing launched before the checkpoint is committed").hasSize(1);

                rig.passUntil("the move", 90, () -> !rig.instance(first).replacedBy().isEmpty()
                        && rig.state(rig.instance(first).replacedBy()) == InstanceState.RUNNING
                        && rig.state(first) == InstanceState.TERMINATED);
                String second = rig.instance(first).replacedBy();
                rig.passUntil("the replacement's restore report", 30, () -> !rig.events(second, Kind.RESTORED).isEmpty());
                assertThat(rig.instance(second).poolKey()).isEqualTo(better.key());
                assertThat(rig.events()).extracting(e -> e.kind() + " " + e.instanceId()).containsSubsequence(
                        "RELOCATING " + first, "EVACUATING " + first, "EVACUATED " + first, "LAUNCHED " + second,
                        "TERMINATED " + first);
                assertThat(rig.events(second, Kind.RESTORED)).as("the move restores the relocation's checkpoint")
                        .singleElement().satisfies(e -> assertThat(e.message()).startsWith("restored ckpt-"));

                for (int i = 0; i < 3; i++) {
                    rig.clock.advance(Duration.ofMinutes(11));
                    rig.pass();
                }
                assertThat(rig.events().stream().filter(e -> e.kind() == Kind.RELOCATING)).hasSize(1);
                assertThat(rig.instances()).hasSize(2);
                assertThat(rig.launched()).hasSize(2);
                assertThat(rig.state(second)).isEqualTo(InstanceState.RUNNING);
            } finally {
                rig.finish();
            }
        }
    }
}
