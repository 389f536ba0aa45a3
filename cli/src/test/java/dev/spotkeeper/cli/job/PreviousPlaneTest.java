package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.emulator.ec2.Ec2Component.EarlierRun;
import dev.spotkeeper.testkit.store.InMemoryStateStore;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PreviousPlaneTest {
    private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");
    private final InMemoryStateStore store = new InMemoryStateStore();

    private void workload(String name, WorkloadStatus status, String checkpoint) {
        store.createWorkload(new WorkloadRecord(name, "name: " + name, status, 0.5, checkpoint, T, T, 0));
    }

    private void instance(String id, String workload, InstanceState state) {
        store.createInstance(new InstanceRecord(id, workload, "us-east-1/us-east-1a/m5.large", true, 0.03, state,
                "", "", T, T, 0));
    }

    @Test
    void line_saysWhatThePreviousPlaneLeft_andWhatHappensToIt() {
        workload("done", WorkloadStatus.SUCCEEDED, "ckpt-1");
        workload("cancelled", WorkloadStatus.CANCELLED, "");
        workload("train", WorkloadStatus.RUNNING, "ckpt-0000000003");
        instance("i-1", "done", InstanceState.TERMINATED);
        instance("i-2", "train", InstanceState.RUNNING);
        instance("i-3", "train", InstanceState.EVACUATING);

        String line = PreviousPlane.of(store, new EarlierRun(3, 0)).line();

        assertThat(line).isEqualTo("found 3 workloads (1 unfinished) and 2 instances of the previous plane (ended);"
                + " the unfinished one resumes from its checkpoint");
    }

    @Test
    void line_namesWhatStartsAgainFromTheBeginning() {
        workload("a", WorkloadStatus.RUNNING, "ckpt-1");
        workload("b", WorkloadStatus.SUBMITTED, "");
        instance("i-1", "a", InstanceState.RUNNING);

        assertThat(PreviousPlane.of(store, new EarlierRun(1, 1)).line()).isEqualTo("found 2 workloads (2 unfinished)"
                + " and 1 instance of the previous plane (ended); the unfinished ones resume: 1 from its checkpoint,"
                + " 1 from the beginning (no checkpoint yet)");
    }

    @Test
    void line_onAFreshStateDirectory_saysThereWasNothing() {
        assertThat(PreviousPlane.of(store, new EarlierRun(0, 0)).line())
                .isEqualTo("found no workloads of a previous plane");
    }
}
