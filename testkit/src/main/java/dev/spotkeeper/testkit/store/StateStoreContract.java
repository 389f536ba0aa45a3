package dev.spotkeeper.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.ledger.CostKind;
import dev.spotkeeper.core.ledger.LedgerEntry;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.InstanceRole;
import dev.spotkeeper.core.store.JobRun;
import dev.spotkeeper.core.store.OutboxEvent;
import dev.spotkeeper.core.store.PolicyState;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadSnapshot;
import dev.spotkeeper.core.store.WorkloadStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link StateStore} keeps; extended by each implementation's test (in memory on every build,
 * DynamoDB against DynamoDB Local, and against AWS in an opt-in *IT).
 */
public abstract class StateStoreContract {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    protected abstract StateStore store();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void workload_isCreatedOnce_andUpdatedOnlyFromTheVersionRead() {
        StateStore s = store();
        String name = unique("train");
        WorkloadRecord w = new WorkloadRecord(name, "name: x", WorkloadStatus.SUBMITTED, 0, "", T0, T0, 0);

        assertThat(s.createWorkload(w)).isTrue();
        assertThat(s.createWorkload(w)).isFalse();
        WorkloadRecord read = s.workload(name).orElseThrow();
        assertThat(read.version()).isEqualTo(1);
        assertThat(s.updateWorkload(read.with(WorkloadStatus.RUNNING, 0.1, "", T0.plusSeconds(1)))).isTrue();
        assertThat(s.updateWorkload(read.with(WorkloadStatus.CANCELLED, 0.1, "", T0.plusSeconds(2)))).as("stale version").isFalse();
        WorkloadRecord now = s.workload(name).orElseThrow();
        assertThat(now.status()).isEqualTo(WorkloadStatus.RUNNING);
        assertThat(now.version()).isEqualTo(2);
        assertThat(s.workloads()).extracting(WorkloadRecord::name).contains(name);
    }

    @Test
    void instances_areListedPerWorkload_andConditionallyUpdated() {
        StateStore s = store();
        String workload = unique("w");
        InstanceRecord a = new InstanceRecord(unique("i"), workload, "us-east-1/use1-az1/p3.2xlarge", true, 0.9,
                InstanceState.PENDING, "", "", T0, T0, 0);
        InstanceRecord b = new InstanceRecord(unique("i"), workload, "us-east-2/use2-az1/p3.2xlarge", true, 1.1,
                InstanceState.PENDING, a.instanceId(), "", T0.plusSeconds(60), T0.plusSeconds(60), 0);

        assertThat(s.createInstance(a)).isTrue();
        assertThat(s.createInstance(b)).isTrue();
        assertThat(s.createInstance(a)).isFalse();
        InstanceRecord readA = s.instance(a.instanceId()).orElseThrow();
        assertThat(s.updateInstance(readA.withState(InstanceState.AT_RISK, T0.plusSeconds(5)).withReplacedBy(b.instanceId(), T0.plusSeconds(5)))).isTrue();
        assertThat(s.updateInstance(readA.withState(InstanceState.TERMINATED, T0.plusSeconds(6)))).isFalse();

        assertThat(s.instances(workload)).extracting(InstanceRecord::instanceId).containsExactly(a.instanceId(), b.instanceId());
        InstanceRecord stored = s.instance(a.instanceId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(InstanceState.AT_RISK);
        assertThat(stored.replacedBy()).isEqualTo(b.instanceId());
        assertThat(stored.interruptedAt()).isEmpty();
        assertThat(s.instance("i-missing")).isEmpty();
    }

    @Test
    void instance_keepsWhenItWasInterrupted() {
        StateStore s = store();
        InstanceRecord a = new InstanceRecord(unique("i"), unique("w"), "us-east-1/use1-az1/p3.2xlarge", true, 0.9,
                InstanceState.RUNNING, "", "", T0, T0, 0);
        assertThat(s.createInstance(a)).isTrue();
        InstanceRecord read = s.instance(a.instanceId()).orElseThrow();

        assertThat(s.updateInstance(read.withInterruptedAt(T0.plusSeconds(30)))).isTrue();
        InstanceRecord stored = s.instance(a.instanceId()).orElseThrow();
        assertThat(stored.interruptedAt()).contains(T0.plusSeconds(30));
        assertThat(stored.withInterruptedAt(T0.plusSeconds(90)).interruptedAt()).contains(T0.plusSeconds(30));
        assertThat(s.updateInstance(stored.withState(InstanceState.AT_RISK, T0.plusSeconds(31)))).isTrue();
        assertThat(s.instance(a.instanceId()).orElseThrow().interruptedAt()).contains(T0.plusSeconds(30));
    }

    @Test
    void workload_keepsWhatItsJobHasDone() {
        StateStore s = store();
        String name = unique("train");
        assertThat(s.createWorkload(new WorkloadRecord(name, "name: x", WorkloadStatus.SUBMITTED, 0, "", T0, T0, 0)))
                .isTrue();
        WorkloadRecord read = s.workload(name).orElseThrow();
        assertThat(read.run()).isEqualTo(JobRun.NONE);

        JobRun run = JobRun.NONE.startedAt(T0.plusSeconds(40)).uploaded(12.5)
                .restored("ckpt-0000000002-i-1", List.of("ckpt-0000000003-i-1: checksum mismatch for model.bin"));
        assertThat(s.updateWorkload(read.withRun(run, T0.plusSeconds(41)))).isTrue();

        assertThat(s.workload(name).orElseThrow().run()).isEqualTo(run);
    }

    @Test
    void workload_keepsWhatItsFleetMadeAndDetached() {
        StateStore s = store();
        String name = unique("web");
        assertThat(s.createWorkload(new WorkloadRecord(name, "name: x", WorkloadStatus.RUNNING, 0, "", T0, T0, 0)))
                .isTrue();
        WorkloadRecord read = s.workload(name).orElseThrow();
        assertThat(read.fleet()).isEqualTo(dev.spotkeeper.core.store.FleetState.NONE);

        dev.spotkeeper.core.store.FleetState fleet = dev.spotkeeper.core.store.FleetState.NONE
                .withMade(name, "us-east-1", "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/1",
                        "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-lb/2",
                        "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web-lb/2/3",
                        "web-lb-1.us-east-1.elb.amazonaws.com", true)
                .withDetached(java.util.Set.of("i-0b", "i-0a")).withReached().withBelow(true)
                .withObserved(3, List.of(new dev.spotkeeper.core.store.FleetState.Member("i-0c", "m5.large",
                        "us-east-1a", "InService", "healthy")), T0.plusSeconds(5));
        assertThat(s.updateWorkload(read.withFleet(fleet, T0.plusSeconds(5)))).isTrue();

        WorkloadRecord stored = s.workload(name).orElseThrow();
        assertThat(stored.fleet()).isEqualTo(fleet);
        assertThat(s.updateWorkload(stored.with(WorkloadStatus.CANCELLED, 0, "", T0.plusSeconds(6)))).isTrue();
        assertThat(s.workload(name).orElseThrow().fleet().detached()).containsExactlyInAnyOrder("i-0a", "i-0b");
    }

    @Test
    void instance_keepsWhatItWasToldToStartFrom_andWhatItCommitted() {
        StateStore s = store();
        InstanceRecord a = new InstanceRecord(unique("i"), unique("w"), "us-east-1/use1-az1/p3.2xlarge", true, 0.9,
                InstanceState.RUNNING, "", "", T0, T0, 0);
        assertThat(s.createInstance(a.withStart(InstanceRecord.NEWEST))).isTrue();
        InstanceRecord read = s.instance(a.instanceId()).orElseThrow();
        assertThat(read.start()).isEqualTo(InstanceRecord.NEWEST);
        assertThat(read.committed()).isEmpty();

        assertThat(s.updateInstance(read.withCommitted("ckpt-0000000009-" + a.instanceId(), InstanceState.EVACUATED,
                T0.plusSeconds(60)))).isTrue();
        InstanceRecord stored = s.instance(a.instanceId()).orElseThrow();
        assertThat(stored.committed()).isEqualTo("ckpt-0000000009-" + a.instanceId());
        assertThat(stored.state()).isEqualTo(InstanceState.EVACUATED);
        assertThat(stored.released()).isTrue();
    }

    @Test
    void ledger_keepsEntriesPerWorkload() {
        StateStore s = store();
        String workload = unique("w");
        s.appendLedger(LedgerEntry.compute(workload, "i-1", CostKind.SPOT, T0, T0.plusSeconds(3600), 0.9, 3.06));
        s.appendLedger(LedgerEntry.flat(workload, "", CostKind.TRANSFER, T0, 0.5, "50 GB"));
        s.appendLedger(LedgerEntry.flat(unique("other"), "", CostKind.STORAGE, T0, 9, "x"));

        assertThat(s.ledger(workload)).hasSize(2).extracting(LedgerEntry::kind).containsExactly(CostKind.SPOT, CostKind.TRANSFER);
    }

    @Test
    void instance_keepsItsRoleAndSlot_andAnOlderRecordReadsAsSlotZero() {
        StateStore s = store();
        String workload = unique("w");
        InstanceRecord replica = new InstanceRecord(unique("i"), workload, "us-east-1/use1-az1/m5.large", true, 0.1,
                InstanceState.PENDING, "", "", T0, T0, 0).withRole(InstanceRole.REPLICA, 2);
        InstanceRecord replacement = new InstanceRecord(unique("i"), workload, "us-east-1/use1-az1/m5.large", true,
                0.1, InstanceState.PENDING, replica.instanceId(), "", T0, T0, 0);

        s.createInstance(replica);
        s.createInstance(replacement);

        InstanceRecord stored = s.instance(replica.instanceId()).orElseThrow();
        assertThat(stored.role()).isEqualTo(InstanceRole.REPLICA);
        assertThat(stored.slot()).isEqualTo(2);
        InstanceRecord derived = s.instance(replacement.instanceId()).orElseThrow();
        assertThat(derived.role()).isEqualTo(InstanceRole.REPLACEMENT);
        assertThat(derived.slot()).isZero();
        assertThat(s.updateInstance(stored.withState(InstanceState.RUNNING, T0))).isTrue();
        assertThat(s.instance(replica.instanceId()).orElseThrow().slot()).as("kept by an update").isEqualTo(2);
    }

    @Test
    void policyState_isCreatedOnce_updatedFromTheVersionRead_andPartOfTheSnapshot() {
        StateStore s = store();
        String name = unique("policy");
        s.createWorkload(new WorkloadRecord(name, "name: x", WorkloadStatus.RUNNING, 0, "", T0, T0, 0));
        assertThat(s.snapshot(name).orElseThrow().policy()).isEqualTo(PolicyState.NONE);
        PolicyState first = PolicyState.NONE.withPool("us-east-1/use1-az1/m5.large", T0)
                .withDecision(1, T0, "none", "spot:use1-az2", "spot:use1-az2");

        assertThat(s.updatePolicyState(name, first)).isTrue();
        assertThat(s.updatePolicyState(name, first)).as("created once").isFalse();
        PolicyState read = s.policyState(name).orElseThrow();
        assertThat(read.version()).isEqualTo(1);
        assertThat(read.pools()).containsEntry("us-east-1/use1-az1/m5.large", T0);
        assertThat(read.askedAt()).contains(T0);
        assertThat(read.asked()).isEqualTo("spot:use1-az2");
        assertThat(s.updatePolicyState(name, read.withPool("us-east-1/use1-az2/m5.large", T0.plusSeconds(9))))
                .isTrue();
        assertThat(s.updatePolicyState(name, read.withPool("us-east-1/use1-az3/m5.large", T0))).as("stale").isFalse();
        assertThat(s.snapshot(name).orElseThrow().policy().pools()).containsOnlyKeys("us-east-1/use1-az1/m5.large",
                "us-east-1/use1-az2/m5.large");
    }

    @Test
    void outbox_numbersEventsInAppendOrder_andKeepsACursorPerSink() {
        StateStore s = store();
        String name = unique("outbox");
        long first = s.appendEvent(new OutboxEvent(0, T0, name, "i-1", "LAUNCHED", "one"));
        long second = s.appendEvent(new OutboxEvent(0, T0, name, "", "FAILED", "two"));
        assertThat(second).isGreaterThan(first);

        assertThat(s.events(first - 1, 100)).filteredOn(e -> e.workload().equals(name))
                .extracting(OutboxEvent::message).containsExactly("one", "two");
        assertThat(s.events(first, 100)).filteredOn(e -> e.workload().equals(name))
                .extracting(OutboxEvent::sequence).containsExactly(second);
        String sink = unique("sink");
        assertThat(s.sinkCursor(sink)).isZero();
        assertThat(s.moveSinkCursor(sink, 0, first)).isTrue();
        assertThat(s.moveSinkCursor(sink, 0, second)).as("moved from 0 already").isFalse();
        assertThat(s.moveSinkCursor(sink, first, second)).isTrue();
        assertThat(s.sinkCursor(sink)).isEqualTo(second);
        dev.spotkeeper.core.store.EventFields fields = dev.spotkeeper.core.store.EventFields.NONE
                .withInstance("us-east-1/use1-az1/m5.large", 0.031, true).withOnDemandPrice(0.096).withCostSoFar(1.25)
                .withCheckpoint("ckpt-1", java.util.Optional.of(12_000_000L),
                        java.util.Optional.of(java.time.Duration.ofMillis(3100))).withDeadline(T0.plusSeconds(120));
        long third = s.appendEvent(new OutboxEvent(0, T0, name, "i-1", "EVACUATED", "three", fields));
        assertThat(s.events(second, 100)).filteredOn(e -> e.sequence() == third).singleElement()
                .satisfies(e -> assertThat(e.fields()).as("typed fields kept").isEqualTo(fields));
    }

    @Test
    void snapshot_holdsTheWorkloadItsInstancesAndLedger_asStoredNow() {
        StateStore s = store();
        String name = unique("snap");
        assertThat(s.snapshot(name)).as("no such workload").isEmpty();
        s.createWorkload(new WorkloadRecord(name, "name: x", WorkloadStatus.SUBMITTED, 0, "", T0, T0, 0));
        InstanceRecord a = new InstanceRecord(unique("i"), name, "us-east-1/use1-az1/m5.large", true, 0.1,
                InstanceState.PENDING, "", "", T0.plusSeconds(60), T0.plusSeconds(60), 0);
        InstanceRecord b = new InstanceRecord(unique("i"), name, "us-east-1/use1-az2/m5.large", true, 0.1,
                InstanceState.PENDING, a.instanceId(), "", T0, T0, 0);
        s.createInstance(a);
        s.createInstance(b);
        s.createInstance(new InstanceRecord(unique("i"), unique("other"), "us-east-1/use1-az1/m5.large", true, 0.1,
                InstanceState.PENDING, "", "", T0, T0, 0));
        s.appendLedger(LedgerEntry.flat(name, a.instanceId(), CostKind.TRANSFER, T0, 0.5, "first"));
        s.appendLedger(LedgerEntry.flat(name, a.instanceId(), CostKind.TRANSFER, T0, 0.25, "second"));
        WorkloadRecord read = s.workload(name).orElseThrow();
        assertThat(s.updateWorkload(read.with(WorkloadStatus.RUNNING, 0.5, "c1", T0.plusSeconds(5)))).isTrue();

        WorkloadSnapshot snap = s.snapshot(name).orElseThrow();

        assertThat(snap.workload().status()).isEqualTo(WorkloadStatus.RUNNING);
        assertThat(snap.workload().version()).isEqualTo(2);
        assertThat(snap.workload().lastCheckpoint()).isEqualTo("c1");
        assertThat(snap.instances()).extracting(InstanceRecord::instanceId)
                .as("in launch order").containsExactly(b.instanceId(), a.instanceId());
        assertThat(snap.ledger()).extracting(LedgerEntry::note).containsExactly("first", "second");
        assertThat(s.updateWorkload(snap.workload().with(WorkloadStatus.CANCELLED, 0.5, "c1", T0.plusSeconds(6))))
                .as("a write from the snapshot's version").isTrue();
        assertThat(s.updateWorkload(snap.workload().with(WorkloadStatus.FAILED, 0.5, "c1", T0.plusSeconds(7))))
                .as("a second write from the same, now stale, snapshot").isFalse();
        assertThat(s.snapshot(name).orElseThrow().workload().status()).isEqualTo(WorkloadStatus.CANCELLED);
        assertThat(s.workloads()).filteredOn(w -> w.name().equals(name)).extracting(WorkloadRecord::status)
                .containsExactly(WorkloadStatus.CANCELLED);
    }

    @Test
    void processedEventKeys_areAcceptedOnce() {
        StateStore s = store();
        String key = unique("i") + "|EC2 Spot Instance Interruption Warning|";

        assertThat(s.markProcessed(key)).isTrue();
        assertThat(s.markProcessed(key)).isFalse();
    }
}
