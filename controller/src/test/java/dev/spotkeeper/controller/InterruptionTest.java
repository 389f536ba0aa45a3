package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InterruptionTest {
    private final Harness h = new Harness();
    private String first;

    @BeforeEach
    void running() {
        h.submit(Harness.spec("train").build());
        h.step();
        first = h.head("train").instanceId();
        h.send(h.report(first, "train", "restored", Map.of("checkpoint", "")));
        h.step();
    }

    @Test
    void warning_launchesReplacementAtOnceInNextPool_asksAgentToEvacuate_andLinksBoth() {
        h.send(h.warning(first));

        h.step();

        InstanceRecord old = h.instance(first);
        assertThat(old.state()).isEqualTo(InstanceState.EVACUATING);
        InstanceRecord next = h.instance(old.replacedBy());
        assertThat(next.replaces()).isEqualTo(first);
        assertThat(next.poolKey()).isEqualTo(Harness.B);
        assertThat(h.compute.requestOf(next.instanceId()).clientToken()).isEqualTo("train-2");
        assertThat(h.compute.requestOf(next.instanceId()).tags()).containsEntry("spotkeeper:replaces", first);
        assertThat(h.compute.instance(first).tags().get("spotkeeper:evacuate"))
                .isEqualTo(Harness.T0.plus(Duration.ofMinutes(2)).toString());
    }

    @Test
    void evacuatedThenTerminated_walksTheStateMachineAndTerminatesTheOldInstance() {
        h.send(h.warning(first));
        h.step();
        String second = h.instance(first).replacedBy();

        h.send(h.report(first, "train", "evacuated", Map.of("checkpoint", "ckpt-0000000004-" + first)));
        h.step();

        assertThat(h.instance(first).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.compute.instance(first).state()).isEqualTo("terminated");
        assertThat(h.workload("train").lastCheckpoint()).isEqualTo("ckpt-0000000004-" + first);
        assertThat(h.events).extracting(ControllerEvent::kind).containsSubsequence(ControllerEvent.Kind.AT_RISK,
                ControllerEvent.Kind.LAUNCHED, ControllerEvent.Kind.EVACUATING, ControllerEvent.Kind.EVACUATED,
                ControllerEvent.Kind.TERMINATED);

        h.send(h.report(second, "train", "restored", Map.of("checkpoint", "ckpt-0000000004-" + first)));
        h.send(h.stateChange(first, "terminated"));
        h.step();

        assertThat(h.instance(second).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.compute.alive()).extracting(c -> c.instanceId()).containsExactly(second);
    }

    @Test
    void rebalanceThenWarning_launchOnlyOneReplacement() {
        h.send(h.rebalance(first));
        h.send(h.warning(first));

        h.step();
        h.step();

        assertThat(h.compute.all()).hasSize(2);
    }

    @Test
    void warningAfterRebalance_isToldAsItsOwnEvent_once_withItsDeadline() {
        h.send(h.rebalance(first));
        h.step();
        h.advance(Duration.ofSeconds(20));
        String warning = h.warning(first);
        h.send(warning);
        h.step();
        h.send(warning);
        h.step();

        assertThat(h.events).filteredOn(e -> e.kind() == ControllerEvent.Kind.AT_RISK)
                .allMatch(e -> e.instanceId().equals(first)).extracting(ControllerEvent::message)
                .satisfiesExactly(
                        m -> assertThat(m).startsWith("rebalance recommendation"),
                        m -> assertThat(m).startsWith("interruption warning (terminate); evacuate by "
                                + Harness.T0.plus(Duration.ofSeconds(20)).plus(Duration.ofMinutes(2)))
                                .endsWith("(already evacuating)"));
        assertThat(h.compute.all()).as("still one replacement").hasSize(2);
        assertThat(h.store.events(0, 1000)).filteredOn(e -> e.kind().equals("AT_RISK")).last()
                .satisfies(e -> assertThat(e.fields().deadline()).contains(Harness.T0.plusSeconds(140)))
                .satisfies(e -> assertThat(e.fields().pool()).isEqualTo(h.instance(first).poolKey()));
    }

    @Test
    void duplicateWarning_isDroppedByItsKey() {
        String warning = h.warning(first);
        h.send(warning);
        h.send(warning);
        h.send(h.warning(first));

        RunSummary s = h.step();

        assertThat(s.handled()).isEqualTo(1);
        assertThat(s.duplicates()).isEqualTo(2);
        assertThat(h.compute.all()).hasSize(2);
        assertThat(h.queue.visibleCount() + h.queue.inFlightCount()).isZero();
    }

    @Test
    void warningAfterShuttingDown_isTolerated_andOneReplacementRuns() {
        h.compute.setState(first, "shutting-down");
        h.send(h.stateChange(first, "shutting-down"));
        h.send(h.warning(first));

        h.step();
        h.step();

        assertThat(h.instance(first).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.compute.all()).hasSize(2);
        assertThat(h.head("train").replaces()).isEqualTo(first);
    }

    @Test
    void malformedMessages_areLoggedWithTheReasonAndDeleted_andStateIsUntouched() {
        InstanceRecord before = h.instance(first);
        h.send("{\"detail-type\": \"EC2 Spot Instance Interruption Warning\",\n  # example value\n}");
        h.send(h.event("aws.ec2", "EC2 Spot Instance Interruption Warning", Map.of("instance-action", "terminate")));
        h.send("not json at all");

        RunSummary s = h.step();

        assertThat(s.malformed()).isEqualTo(3);
        assertThat(h.queue.visibleCount() + h.queue.inFlightCount()).isZero();
        assertThat(h.events).filteredOn(e -> e.kind() == ControllerEvent.Kind.MALFORMED_EVENT)
                .extracting(ControllerEvent::message)
                .anySatisfy(m -> assertThat(m).startsWith("message:2: not valid JSON"))
                .anySatisfy(m -> assertThat(m).contains("detail.instance-id is required"));
        assertThat(h.instance(first)).isEqualTo(before);
    }

    @Test
    void eventAboutAnUnknownInstance_isIgnoredAndDeleted() {
        h.send(h.warning("i-0123456789abcdef0"));

        RunSummary s = h.step();

        assertThat(s.ignored()).isEqualTo(1);
        assertThat(h.compute.all()).hasSize(1);
        assertThat(h.queue.inFlightCount()).isZero();
    }

    @Test
    void agentSeesNoticeFirst_convergesOnTheSamePath() {
        h.send(h.report(first, "train", "evacuating", Map.of("deadline", "2026-03-01T00:02:00Z", "fits", "true")));
        h.send(h.warning(first));

        h.step();

        assertThat(h.instance(first).state()).isEqualTo(InstanceState.EVACUATING);
        assertThat(h.compute.all()).hasSize(2);
    }

    @Test
    void evacuatedBeforeEvacuating_replacesAtOnce_andTheLateReportChangesNothing() {
        String checkpoint = "ckpt-0000000003-" + first;
        h.send(h.report(first, "train", "evacuated", Map.of("checkpoint", checkpoint, "sequence", "3")));

        h.step();

        String second = h.instance(first).replacedBy();
        assertThat(second).isNotEmpty();
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.workload("train").lastCheckpoint()).isEqualTo(checkpoint);

        h.send(h.report(first, "train", "evacuating", Map.of("deadline", "2026-03-01T00:02:00Z", "sequence", "2")));
        h.step();
        h.step();

        assertThat(h.instance(first).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.compute.all()).hasSize(2);
        assertThat(h.compute.alive()).extracting(c -> c.instanceId()).containsExactly(second);
    }

    @Test
    void replacement_avoidsThePoolThatInterruptedUs_forLaterLaunchesToo() {
        h.send(h.warning(first));
        h.step();
        String second = h.instance(first).replacedBy();
        h.send(h.report(second, "train", "restored", Map.of()));
        h.step();

        h.send(h.warning(second));
        h.step();

        InstanceRecord third = h.head("train");
        assertThat(third.poolKey()).isEqualTo(Harness.C);
    }

    @Test
    void restartedController_stillAvoidsThePoolsThatInterruptedUs() {
        h.send(h.warning(first));
        h.step();
        String second = h.instance(first).replacedBy();
        assertThat(h.instance(first).interruptedAt()).contains(Harness.T0);
        h.send(h.report(second, "train", "restored", Map.of()));
        h.step();

        h.controller = h.newController();
        h.send(h.warning(second));
        h.step();

        assertThat(h.head("train").poolKey()).isEqualTo(Harness.C);
    }

    @Test
    void jobFinishesOnItsOwnDuringTheEvacuation_workloadSucceeds_andNothingWaitsForTheDeadline() {
        h.send(h.rebalance(first));
        h.step();
        String second = h.instance(first).replacedBy();
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.EVACUATING);

        h.send(h.report(first, "train", "exited", Map.of("exitCode", "0", "results", "s3://r/train")));
        h.step();
        h.step();

        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.SUCCEEDED);
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.instance(second).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.compute.all()).allMatch(CloudInstance::isGone);
    }

    @Test
    void jobFailsDuringTheEvacuation_theReplacementCarriesOn() {
        h.send(h.rebalance(first));
        h.step();
        String second = h.instance(first).replacedBy();

        h.send(h.report(first, "train", "exited", Map.of("exitCode", "1")));
        h.step();

        assertThat(h.workload("train").status()).isNotEqualTo(WorkloadStatus.FAILED);
        assertThat(h.instance(second).state().isTerminal()).isFalse();
    }

    @Test
    void evacuationNeverReported_isGivenUpAfterDeadlineAndGrace() {
        h.send(h.warning(first));
        h.step();

        h.advance(Duration.ofMinutes(2));
        h.step();
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.EVACUATING);

        h.advance(Duration.ofSeconds(31));
        h.step();
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.compute.alive()).hasSize(1);
    }

    @Test
    void queueDown_doesNotCrashAndStateIsKept() {
        h.queue.setBroken(true);

        RunSummary s = h.step();

        assertThat(s.failed()).isEqualTo(1);
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.RUNNING);
    }

    @Test
    void storeDown_leavesTheMessageOnTheQueueForRedelivery() {
        h.send(h.warning(first));
        h.store.setBroken(true);

        RunSummary s = h.step();

        assertThat(s.failed()).isPositive();
        assertThat(h.queue.inFlightCount()).isEqualTo(1);
        h.store.setBroken(false);
        h.queue.redeliverInFlight();
        h.step();
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.EVACUATING);
        assertThat(h.compute.all()).hasSize(2);
    }
}
