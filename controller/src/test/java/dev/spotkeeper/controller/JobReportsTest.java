package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.WorkloadStatus;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the controller makes of the agent's reports about the job itself: how it ended, and how it checkpoints. */
class JobReportsTest {
    private static final String SIGNAL_DEATH = "the job died of SIGUSR1 (exit 138), the signal the agent sends to ask"
            + " for a checkpoint: make the program the job's own process with `exec`";

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
    void jobKilledByTheCheckpointSignal_failsTheWorkload_withTheAgentsExplanation() {
        h.send(h.report(first, "train", "exited", Map.of("exitCode", "138", "reason", SIGNAL_DEATH)));
        h.step();

        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.FAILED);
        assertThat(h.events).filteredOn(e -> e.kind() == Kind.FAILED).singleElement()
                .satisfies(e -> assertThat(e.message()).startsWith("job exited with code 138: the job died of SIGUSR1")
                        .contains("`exec`"));
    }

    @Test
    void jobKilledByTheCheckpointSignalDuringAnEvacuation_failsTheWorkload_ratherThanDyingAgainOnTheReplacement() {
        h.send(h.rebalance(first));
        h.step();
        String second = h.instance(first).replacedBy();

        h.send(h.report(first, "train", "exited", Map.of("exitCode", "138", "reason", SIGNAL_DEATH)));
        h.step();
        h.step();

        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.FAILED);
        assertThat(h.instance(second).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.events).filteredOn(e -> e.kind() == Kind.FAILED).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("the job died of SIGUSR1"));
    }

    @Test
    void checkpointTheJobDidNotConfirm_isAWarningInTheEventLog_thatSaysHowToConfirm() {
        h.send(h.report(first, "train", "checkpointed", Map.of("checkpoint", "ckpt-0000000001-" + first,
                "bytes", "10", "seconds", "0.1", "confirmed", "false")));
        h.step();

        assertThat(h.events).filteredOn(e -> e.kind() == Kind.WARNING).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("did not confirm")
                        .contains("$SPOTKEEPER_CHECKPOINT_DIR/.spotkeeper-ready").contains("checkpoint.command"));
        assertThat(h.workload("train").lastCheckpoint()).isEqualTo("ckpt-0000000001-" + first);
    }

    @Test
    void confirmedCheckpoint_warnsOfNothing() {
        h.send(h.report(first, "train", "checkpointed", Map.of("checkpoint", "ckpt-0000000001-" + first,
                "bytes", "10", "seconds", "0.1", "confirmed", "true")));
        h.step();

        assertThat(h.events).noneMatch(e -> e.kind() == Kind.WARNING);
    }

    @Test
    void succeededJob_showsAllOfItsProgress() {
        h.send(h.report(first, "train", "progress", Map.of("progress", "0.97")));
        h.send(h.report(first, "train", "exited", Map.of("exitCode", "0")));
        h.step();

        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.SUCCEEDED);
        assertThat(h.workload("train").progress()).isEqualTo(1.0);
    }
}
