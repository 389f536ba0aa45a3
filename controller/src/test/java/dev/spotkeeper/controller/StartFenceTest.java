package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One instance at a time runs the job: a replacement's agent starts it only once the instance carries
 * {@code spotkeeper:start}, which the controller sets when no other instance may still be running it, naming the
 * checkpoint to resume from. Every ordering of the old instance's end and the replacement's boot, with controller
 * restarts between them.
 */
class StartFenceTest {
    private static final String START = "spotkeeper:start";

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

    private String start(String instanceId) {
        return h.compute.instance(instanceId).tags().get(START);
    }

    /** The warning, the replacement launched, its agent up and waiting. */
    private String warnedAndReplacementWaiting() {
        h.send(h.warning(first));
        h.step();
        String second = h.instance(first).replacedBy();
        h.send(h.report(second, "train", "started", Map.of()));
        h.step();
        return second;
    }

    private String evacuated(String instanceId, int sequence) {
        String checkpoint = String.format("ckpt-%010d-%s", sequence, instanceId);
        h.send(h.report(instanceId, "train", "evacuated", Map.of("checkpoint", checkpoint, "bytes", "10",
                "seconds", "1.0")));
        return checkpoint;
    }

    @Test
    void firstInstance_startsAtOnce_fromTheNewestCheckpoint() {
        assertThat(h.compute.requestOf(first).tags()).containsEntry(START, InstanceRecord.NEWEST);
        assertThat(h.instance(first).start()).isEqualTo(InstanceRecord.NEWEST);
    }

    @Test
    void replacement_waitsWhileTheOldInstanceEvacuates_andStartsFromTheEvacuatedCheckpoint() {
        String second = warnedAndReplacementWaiting();
        assertThat(h.compute.requestOf(second).tags()).doesNotContainKey(START);
        h.advance(Duration.ofSeconds(60));
        h.step();
        assertThat(start(second)).as("the old instance still runs the job").isNull();

        String checkpoint = evacuated(first, 7);
        h.step();

        assertThat(start(second)).isEqualTo(checkpoint);
        assertThat(h.instance(second).start()).isEqualTo(checkpoint);
        assertThat(h.instance(first).committed()).isEqualTo(checkpoint);
        assertThat(h.events).filteredOn(e -> e.kind() == Kind.RELEASED).singleElement()
                .satisfies(e -> assertThat(e.message()).contains(checkpoint).contains(first));
    }

    @Test
    void evacuationReportedBeforeTheReplacementBoots_releasesItAtOnce() {
        h.send(h.warning(first));
        h.step();
        String second = h.instance(first).replacedBy();
        String checkpoint = evacuated(first, 3);

        h.step();

        assertThat(start(second)).isEqualTo(checkpoint);
    }

    @Test
    void evacuationNeverReported_givesUpAtTheDeadline_thenStartsFromTheNewestOnceEc2EndedTheOld() {
        String second = warnedAndReplacementWaiting();
        h.advance(Duration.ofMinutes(2).plusSeconds(20));
        h.step();
        assertThat(start(second)).isNull();

        h.advance(Duration.ofSeconds(11));
        h.step();
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.TERMINATED);
        h.step();

        assertThat(start(second)).isEqualTo(InstanceRecord.NEWEST);
    }

    @Test
    void oldInstanceTakenWithoutEvacuating_waitsWhileEc2ShutsItDown_thenStartsFromTheNewest() {
        String second = warnedAndReplacementWaiting();
        h.compute.setState(first, "shutting-down");
        h.send(h.stateChange(first, "shutting-down"));
        h.step();
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.TERMINATED);
        h.step();
        assertThat(start(second)).as("EC2 is still ending its processes").isNull();

        h.compute.setState(first, "terminated");
        h.step();

        assertThat(start(second)).isEqualTo(InstanceRecord.NEWEST);
    }

    @Test
    void oldInstanceShuttingDownForLong_doesNotHoldTheReplacementForever() {
        String second = warnedAndReplacementWaiting();
        h.compute.setState(first, "shutting-down");
        h.send(h.stateChange(first, "shutting-down"));
        h.step();

        h.advance(Duration.ofSeconds(31));
        h.step();

        assertThat(start(second)).isEqualTo(InstanceRecord.NEWEST);
    }

    @Test
    void controllerRestartedWithTheOldEvacuatedAndTheReplacementWaiting_releasesItOnItsFirstPass() {
        String second = warnedAndReplacementWaiting();
        String checkpoint = evacuated(first, 5);
        h.compute.setThrottled(true); // the pass that reads the report cannot tag: the controller then stops
        h.step();
        h.compute.setThrottled(false);
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.EVACUATED);
        assertThat(start(second)).isNull();

        h.controller = h.newController();
        h.step();

        assertThat(start(second)).isEqualTo(checkpoint);
    }

    @Test
    void controllerRestartedWithTheOldTerminatedAndTheReplacementWaiting_releasesItOnItsFirstPass() {
        String second = warnedAndReplacementWaiting();
        h.compute.setState(first, "terminated");
        h.send(h.stateChange(first, "terminated"));
        h.compute.setThrottled(true);
        h.step();
        h.compute.setThrottled(false);
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(start(second)).isNull();

        h.controller = h.newController();
        h.step();

        assertThat(start(second)).isEqualTo(InstanceRecord.NEWEST);
    }

    @Test
    void tagSetByAPassThatStoppedBeforeRecordingIt_isRecordedAndNotChanged() {
        String second = warnedAndReplacementWaiting();
        h.compute.tag("us-east-1", second, Map.of(START, "ckpt-0000000009-" + first));

        h.step();

        assertThat(h.instance(second).start()).isEqualTo("ckpt-0000000009-" + first);
        assertThat(start(second)).isEqualTo("ckpt-0000000009-" + first);
    }

    @Test
    void replacementInterruptedBeforeItStarted_commitsNothing_andItsOwnReplacementResumesFromTheFirstsCheckpoint() {
        String second = warnedAndReplacementWaiting();
        h.send(h.warning(second));
        h.step();
        String third = h.instance(second).replacedBy();
        h.send(h.report(second, "train", "evacuated", Map.of("checkpoint", "")));
        h.step();
        assertThat(h.instance(second).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(start(third)).as(first + " still runs the job").isNull();
        assertThat(start(second)).isNull();

        String checkpoint = evacuated(first, 4);
        h.step();

        assertThat(start(third)).isEqualTo(checkpoint);
        assertThat(h.compute.instance(second).tags()).doesNotContainKey(START);
    }

    @Test
    void evacuationReportedAfterItWasGivenUp_stillNamesItsCheckpoint() {
        String second = warnedAndReplacementWaiting();
        h.compute.setThrottled(true);
        h.advance(Duration.ofMinutes(2).plusSeconds(31));
        h.step(); // nothing reaches EC2: the old instance is not given up yet
        h.compute.setThrottled(false);
        h.step();
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.TERMINATED);
        String checkpoint = evacuated(first, 6);
        h.step();

        assertThat(h.instance(first).committed()).isEqualTo(checkpoint);
        assertThat(start(second)).isEqualTo(checkpoint);
    }

    @Test
    void relocation_launchesTheReplacementAfterTheEvacuation_readyToStartFromItsCheckpoint() {
        Harness r = new Harness();
        r.submit(Harness.spec("move").relocation(Duration.ofMinutes(30), 0.2).build());
        r.step();
        String old = r.head("move").instanceId();
        r.send(r.report(old, "move", "restored", Map.of()));
        r.step();
        r.price(Harness.C, 0.010);
        r.advance(Duration.ofMinutes(31));
        r.step();

        r.send(r.report(old, "move", "evacuated", Map.of("checkpoint", "ckpt-0000000002-" + old)));
        r.step();

        InstanceRecord next = r.head("move");
        assertThat(r.compute.requestOf(next.instanceId()).tags()).containsEntry(START, "ckpt-0000000002-" + old);
    }

    @Test
    void aNameSubmittedAgain_startsOnlyOnceTheEarlierRunsInstanceIsGone() {
        h.controller.cancel("train");
        h.step();
        h.compute.setState(first, "shutting-down");

        h.submit(Harness.spec("train").build());
        h.step();
        String again = h.head("train").instanceId();
        assertThat(start(again)).isNull();

        h.compute.setState(first, "terminated");
        h.step();
        assertThat(start(again)).isEqualTo(InstanceRecord.NEWEST);
    }
}
