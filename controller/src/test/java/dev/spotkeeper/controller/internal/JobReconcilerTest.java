package dev.spotkeeper.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.placement.InterruptionMemory;
import dev.spotkeeper.core.placement.Requirements;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.InstanceRole;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadSnapshot;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.core.workload.CheckpointSpec;
import dev.spotkeeper.core.workload.RelocationSpec;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.testkit.MutableClock;
import dev.spotkeeper.testkit.cloud.InMemoryCompute;
import dev.spotkeeper.testkit.store.CountingStateStore;
import dev.spotkeeper.testkit.store.InMemoryStateStore;
import java.time.Duration;
import java.time.Instant;
import dev.spotkeeper.core.workload.JobExtension;
import dev.spotkeeper.core.workload.WorkloadSpecJson;
import dev.spotkeeper.testkit.cloud.InMemoryObjectStores;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The job's plan from a snapshot alone: what it asks for, per slot, without a store call. */
class JobReconcilerTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final String POOL = "us-east-1/us-east-1a/m5.large";
    private static final WorkloadSpec SPEC = new WorkloadSpec("train", Requirements.builder().build(),
            "lowest-price", dev.spotkeeper.core.workload.Limits.NONE, "default", new WorkloadSpec.Buckets("", "", "s3://ckpt/train", ""),
            RelocationSpec.never(), new JobExtension("", "python train.py",
                    new CheckpointSpec("/tmp/ckpt", "SIGUSR1", "", Duration.ofMinutes(5))));

    private final MutableClock clock = new MutableClock(T0);
    private final CountingStateStore store = new CountingStateStore(new InMemoryStateStore());
    private final Context ctx = new Context(store, new InMemoryCompute(clock),
            () -> new MarketSnapshot("test", T0, List.of()), new InMemoryObjectStores(),
            ControllerConfig.defaults("ami-test", "java -jar /opt/spotkeeper.jar"), clock, new Journal(clock),
            InterruptionMemory.oneHour());
    private final JobReconciler job = new JobReconciler(ctx, new Limits(ctx, new Billing(ctx)), new Scheduling(ctx));
    private final WorkloadRecord running = new WorkloadRecord("train", WorkloadSpecJson.write(SPEC), WorkloadStatus.RUNNING, 0, "",
            T0, T0, 3);

    private static InstanceRecord running(String id, int slot, int launchedAfterSeconds) {
        Instant at = T0.plusSeconds(launchedAfterSeconds);
        return new InstanceRecord(id, "train", POOL, true, 0.03, InstanceState.RUNNING, "", "", at, at, 2)
                .withStart(InstanceRecord.NEWEST).withRole(slot == 0 ? InstanceRole.HEAD : InstanceRole.REPLICA, slot);
    }

    @Test
    void twoInstancesInOneSlot_theOlderIsTerminated_withoutAStoreCall() {
        WorkloadSnapshot s = new WorkloadSnapshot(running, List.of(running("i-1", 0, 0), running("i-2", 0, 10)),
                List.of());

        Plan plan = job.plan(s, new CloudView(Map.of()), T0.plusSeconds(20));

        assertThat(plan.actions()).containsExactly(new Action.Terminate("i-1",
                "a second instance doing the same work: keeping i-2"));
        assertThat(store.reads()).isEmpty();
        assertThat(store.writes()).isEmpty();
    }

    @Test
    void instancesOfTwoSlots_areNotTakenForTwoDoingTheSameWork() {
        WorkloadSnapshot s = new WorkloadSnapshot(running, List.of(running("i-1", 0, 0), running("i-2", 1, 10)),
                List.of());

        Plan plan = job.plan(s, new CloudView(Map.of()), T0.plusSeconds(20));

        assertThat(plan.actions()).noneMatch(a -> a instanceof Action.Terminate);
    }

    @Test
    void aWarnedInstance_isReplacedAndEvacuated_byTheDeadlineItWasTaggedWith() {
        InstanceRecord warned = running("i-1", 0, 0).withState(InstanceState.AT_RISK, T0);
        WorkloadSnapshot s = new WorkloadSnapshot(running, List.of(warned), List.of());

        Plan plan = job.plan(s, new CloudView(Map.of()), T0.plusSeconds(5));

        assertThat(plan.actions()).containsExactly(new Action.Replace("i-1"),
                new Action.Evacuate("i-1", T0.plusSeconds(5).plus(Duration.ofMinutes(2)), "evacuation requested"));
        assertThat(plan.again()).isTrue();
    }

    @Test
    void nothingLive_launchesAfterTheLast_andThreeYoungDeaths_failTheJobInstead() {
        InstanceRecord gone = running("i-1", 0, 0).withState(InstanceState.TERMINATED, T0.plusSeconds(30));
        Plan once = job.plan(new WorkloadSnapshot(running, List.of(gone), List.of()), new CloudView(Map.of()),
                T0.plusSeconds(40));
        assertThat(once.actions()).contains(new Action.Launch("i-1"));

        List<InstanceRecord> three = List.of(gone,
                running("i-2", 0, 40).withState(InstanceState.TERMINATED, T0.plusSeconds(70)),
                running("i-3", 0, 80).withState(InstanceState.TERMINATED, T0.plusSeconds(110)));
        Plan looping = job.plan(new WorkloadSnapshot(running, three, List.of()), new CloudView(Map.of()),
                T0.plusSeconds(120));
        assertThat(looping.actions()).noneMatch(a -> a instanceof Action.Launch)
                .anyMatch(a -> a instanceof Action.Finish f && f.status() == WorkloadStatus.FAILED);
    }
}
