package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.WorkloadStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An instance whose agent never works does not keep billing: the workload fails with what the agent last said. */
class SilentAgentTest {
    private final Harness h = new Harness();

    @Test
    void agentThatNeverReports_isEndedAfterTheBound_withItsLastConsoleLineInTheReason() {
        h.submit(Harness.spec("train").build());
        h.step();
        String id = h.head("train").instanceId();
        h.compute.appendConsole(id, "starting the agent\nError: Unable to access jarfile /opt/spotkeeper.jar\n\n");

        h.advance(Duration.ofMinutes(10).plusSeconds(1));
        h.step();

        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.FAILED);
        assertThat(h.instance(id).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.compute.alive()).isEmpty();
        assertThat(h.events).filteredOn(e -> e.kind() == Kind.FAILED).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("did not report within 10 min")
                        .contains("its last console line: Error: Unable to access jarfile /opt/spotkeeper.jar"));
    }

    @Test
    void agentThatFailedAtBoot_failsTheWorkloadWithItsReason_andTheInstanceEnds() {
        h.submit(Harness.spec("train").build());
        h.step();
        String id = h.head("train").instanceId();

        h.send(h.report(id, "train", "failed", Map.of("reason", "no checkpoint location: give --checkpoints"
                + " s3://bucket/prefix or a workload file (--spec) with buckets.checkpoints")));
        h.step();

        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.FAILED);
        assertThat(h.instance(id).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.compute.alive()).isEmpty();
        assertThat(h.events).filteredOn(e -> e.kind() == Kind.FAILED).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("the agent on " + id + " could not start: no"
                        + " checkpoint location: give --checkpoints s3://bucket/prefix or a workload file (--spec) with"
                        + " buckets.checkpoints"));
        assertThat(h.compute.all()).as("nothing relaunched").hasSize(1);
    }
}
