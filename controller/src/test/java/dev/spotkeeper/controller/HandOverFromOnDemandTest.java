package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leaving on-demand for spot is a hand-over: while the on-demand instance runs the job, a spot instance is launched
 * without the start signal; once its agent runs, the on-demand instance is asked to evacuate, and the spot one starts
 * from the checkpoint it committed. At no moment do two instances run the job, and a spot start that fails (refused,
 * lost while starting, gone) leaves the on-demand instance running it.
 */
class HandOverFromOnDemandTest {
    private static final String START = "spotkeeper:start";

    private final Harness h = new Harness();
    /** Instances whose agent reported {@code evacuated}: it stopped the job before it reported. */
    private final Set<String> stopped = new HashSet<>();
    private double progress;
    private String onDemand;

    /**
     * A job with a deadline of 3 h on spot, interrupted when the slack is short, so that the policy takes on-demand;
     * the on-demand instance then runs the job, warm.
     */
    @BeforeEach
    void onDemandRunsTheJob() {
        h.submit(Harness.spec("train").deadline(Duration.ofHours(3)).build());
        step();
        String first = h.head("train").instanceId();
        assertThat(h.instance(first).spot()).isTrue();
        h.send(h.report(first, "train", "restored", Map.of()));
        step();
        for (int i = 0; i < 7; i++) {
            h.advance(Duration.ofMinutes(5));
            progress += 0.03;
            report(first);
            step();
        }
        h.send(h.warning(first));
        step();
        onDemand = h.instance(first).replacedBy();
        assertThat(h.instance(onDemand).spot()).as("the policy takes on-demand with little slack").isFalse();
        h.send(h.report(onDemand, "train", "started", Map.of()));
        evacuated(first, 1);
        step();
        assertThat(start(onDemand)).isEqualTo(checkpoint(first, 1));
        h.send(h.report(onDemand, "train", "restored", Map.of("checkpoint", checkpoint(first, 1))));
        step();
    }

    /** Runs the on-demand instance, faster than the estimate so far, until the policy asks for spot (at most 2 h). */
    private Optional<InstanceRecord> untilSpotIsAskedFor() {
        for (int i = 0; i < 24; i++) {
            h.advance(Duration.ofMinutes(5));
            progress += 0.05;
            report(onDemand);
            step();
            String next = h.instance(onDemand).replacedBy();
            if (!next.isEmpty()) {
                return Optional.of(h.instance(next));
            }
            if (h.events.stream().anyMatch(e -> e.kind() == Kind.RELOCATING && e.message().startsWith("no spot"))) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Test
    void spotStartsWhileOnDemandRunsTheJob_thenOnDemandHandsOver_andOneInstanceRunsItAtATime() {
        InstanceRecord spot = untilSpotIsAskedFor().orElseThrow(() -> new AssertionError("no hand-over: " + h.events));
        assertThat(spot.spot()).isTrue();
        assertThat(h.compute.requestOf(spot.instanceId()).spot()).isTrue();
        assertThat(h.compute.requestOf(spot.instanceId()).tags()).as("it prepares, it does not start")
                .doesNotContainKey(START);
        assertThat(h.instance(onDemand).state()).as("on-demand goes on running the job while spot starts")
                .isEqualTo(InstanceState.RUNNING);
        assertThat(h.compute.instance(onDemand).tags()).doesNotContainKey("spotkeeper:evacuate");
        assertThat(h.events).anyMatch(e -> e.kind() == Kind.RELOCATING && e.message().contains("leaving on-demand"));

        // The on-demand instance keeps the job for as long as the spot one's agent has not reported.
        h.advance(Duration.ofMinutes(1));
        report(onDemand);
        step();
        assertThat(h.instance(onDemand).state()).isEqualTo(InstanceState.RUNNING);

        // The spot instance's agent runs (it prepares and waits): now the on-demand one is asked to evacuate.
        h.send(h.report(spot.instanceId(), "train", "started", Map.of()));
        step();
        assertThat(h.instance(onDemand).state()).isEqualTo(InstanceState.EVACUATING);
        assertThat(h.compute.instance(onDemand).tags()).containsKey("spotkeeper:evacuate");
        h.advance(Duration.ofSeconds(30));
        step();
        assertThat(start(spot.instanceId())).as("not released while on-demand may still run the job").isNull();

        evacuated(onDemand, 2);
        step();
        assertThat(start(spot.instanceId())).isEqualTo(checkpoint(onDemand, 2));
        assertThat(h.instance(onDemand).state()).isEqualTo(InstanceState.TERMINATED);
        h.send(h.report(spot.instanceId(), "train", "restored", Map.of("checkpoint", checkpoint(onDemand, 2))));
        step();
        assertThat(h.head("train").instanceId()).isEqualTo(spot.instanceId());
        assertThat(h.instance(spot.instanceId()).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.compute.alive()).extracting(CloudInstance::instanceId).containsExactly(spot.instanceId());
    }

    @Test
    void controllerRestartedDuringTheHandOver_finishesItFromTheStore() {
        InstanceRecord spot = untilSpotIsAskedFor().orElseThrow(() -> new AssertionError("no hand-over: " + h.events));
        h.controller = h.newController();
        step();
        assertThat(h.instance(onDemand).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.instances("train").stream().filter(r -> !r.state().isTerminal())).hasSize(2);

        h.send(h.report(spot.instanceId(), "train", "started", Map.of()));
        step();
        assertThat(h.instance(onDemand).state()).isEqualTo(InstanceState.EVACUATING);
        h.controller = h.newController();
        evacuated(onDemand, 2);
        step();
        assertThat(start(spot.instanceId())).isEqualTo(checkpoint(onDemand, 2));
        assertThat(h.compute.alive()).extracting(CloudInstance::instanceId).containsExactly(spot.instanceId());
    }

    @Test
    void refusedSpotLaunch_leavesOnDemandRunningTheJob_andIsNotRetriedWithinTheTick() {
        for (String pool : List.of(Harness.A, Harness.B, Harness.C)) {
            h.compute.removeCapacity(pool); // the on-demand instance runs already
        }
        int launches = h.compute.launchCalls().size();
        assertThat(untilSpotIsAskedFor()).isEmpty();
        assertThat(h.compute.launchCalls().size()).as("a hand-over was tried").isGreaterThan(launches);
        assertThat(h.events).anyMatch(e -> e.kind() == Kind.LAUNCH_FAILED);
        assertThat(h.instance(onDemand).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.instance(onDemand).replacedBy()).isEmpty();
        assertThat(h.compute.instance(onDemand).tags()).doesNotContainKey("spotkeeper:evacuate");
        assertThat(h.compute.alive()).extracting(CloudInstance::instanceId).containsExactly(onDemand);

        int tried = h.compute.launchCalls().size();
        for (int i = 0; i < 4; i++) {
            h.advance(Duration.ofSeconds(30));
            step();
        }
        assertThat(h.compute.launchCalls()).as("no launch again within the tick").hasSize(tried);
        assertThat(h.head("train").instanceId()).isEqualTo(onDemand);
    }

    @Test
    void spotLostWhileStarting_leavesOnDemandRunningTheJob() {
        InstanceRecord spot = untilSpotIsAskedFor().orElseThrow(() -> new AssertionError("no hand-over: " + h.events));
        h.send(h.warning(spot.instanceId()));
        step();

        assertThat(h.instance(spot.instanceId()).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.instance(spot.instanceId()).replacedBy()).as("nothing launched to replace it").isEmpty();
        assertThat(h.instance(onDemand).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.instance(onDemand).replacedBy()).isEmpty();
        assertThat(h.compute.instance(onDemand).tags()).doesNotContainKey("spotkeeper:evacuate");
        assertThat(h.head("train").instanceId()).isEqualTo(onDemand);
        assertThat(h.events).anyMatch(e -> e.kind() == Kind.RELOCATING && e.message().contains("dropped"));
        // Its agent, late, changes nothing: it was never let start.
        h.send(h.report(spot.instanceId(), "train", "started", Map.of()));
        step();
        assertThat(h.instance(onDemand).state()).isEqualTo(InstanceState.RUNNING);
    }

    @Test
    void spotGoneWithoutWarningWhileStarting_leavesOnDemandRunningTheJob() {
        InstanceRecord spot = untilSpotIsAskedFor().orElseThrow(() -> new AssertionError("no hand-over: " + h.events));
        h.compute.terminate("us-east-1", spot.instanceId()); // EC2 took it back before its agent reported
        h.send(h.stateChange(spot.instanceId(), "terminated"));
        step();

        assertThat(h.instance(spot.instanceId()).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.instance(onDemand).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.instance(onDemand).replacedBy()).isEmpty();
        assertThat(h.head("train").instanceId()).isEqualTo(onDemand);
        assertThat(h.compute.alive()).extracting(CloudInstance::instanceId).containsExactly(onDemand);
    }

    @Test
    void spotWhoseAgentNeverReports_isDropped_andTheJobGoesOnOnDemand() {
        InstanceRecord spot = untilSpotIsAskedFor().orElseThrow(() -> new AssertionError("no hand-over: " + h.events));
        h.advance(h.config.agentStartTimeout().plusSeconds(1));
        step();

        assertThat(h.instance(spot.instanceId()).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.workload("train").status().isTerminal()).as("the workload does not fail for it").isFalse();
        assertThat(h.instance(onDemand).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.instance(onDemand).replacedBy()).isEmpty();
    }

    /** A pass, then the invariant: at most one instance may be running the job. */
    private void step() {
        h.step();
        List<String> running = h.compute.all().stream()
                .filter(c -> !c.state().equals("terminated") && c.tags().containsKey(START))
                .map(CloudInstance::instanceId).filter(id -> !stopped.contains(id)).toList();
        assertThat(running).as("instances that may run the job").hasSizeLessThanOrEqualTo(1);
    }

    private void report(String instanceId) {
        h.send(h.report(instanceId, "train", "progress", Map.of("progress", String.valueOf(Math.min(progress, 0.99)))));
    }

    private void evacuated(String instanceId, int sequence) {
        stopped.add(instanceId);
        h.send(h.report(instanceId, "train", "evacuated", Map.of("checkpoint", checkpoint(instanceId, sequence),
                "bytes", "10", "seconds", "1.0")));
    }

    private static String checkpoint(String instanceId, int sequence) {
        return String.format("ckpt-%010d-%s", sequence, instanceId);
    }

    private String start(String instanceId) {
        return h.compute.instance(instanceId).tags().get(START);
    }
}
