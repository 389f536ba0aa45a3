package dev.spotkeeper.core.store;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ledger.LedgerEntry;
import java.util.List;
import java.util.Optional;

/**
 * Everything the controller keeps about one workload, as read by one store call ({@link StateStore#snapshot}): its
 * record, its instances (in launch order), its ledger (in append order) and its policy state and pool memory. A reconciliation pass works from one
 * snapshot instead of reading the store again for every question it asks; its writes stay conditional on the
 * versions read here, so a snapshot that went stale loses its race instead of overwriting a newer record.
 */
public record WorkloadSnapshot(WorkloadRecord workload, List<InstanceRecord> instances, List<LedgerEntry> ledger,
                               PolicyState policy) {
    public WorkloadSnapshot {
        requireNonNull(workload, "workload is null");
        instances = List.copyOf(instances);
        ledger = List.copyOf(ledger);
        requireNonNull(policy, "policy is null");
    }

    /** A workload with no policy state stored yet. */
    public WorkloadSnapshot(WorkloadRecord workload, List<InstanceRecord> instances, List<LedgerEntry> ledger) {
        this(workload, instances, ledger, PolicyState.NONE);
    }

    public String name() {
        return workload.name();
    }

    public Optional<InstanceRecord> instance(String instanceId) {
        return instances.stream().filter(r -> r.instanceId().equals(instanceId)).findFirst();
    }
}
