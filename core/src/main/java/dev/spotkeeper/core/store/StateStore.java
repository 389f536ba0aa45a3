package dev.spotkeeper.core.store;

import dev.spotkeeper.core.ledger.LedgerEntry;
import java.util.List;
import java.util.Optional;

/**
 * The controller's persisted state. Writes are conditional on the version read, so two controllers (or two
 * Lambda invocations) racing on one record cannot both win; a lost race is an outcome ({@code false}), not an
 * error. Implementations: in memory (tests) and DynamoDB (the aws adapter; DynamoDB Local in the emulator).
 */
public interface StateStore {
    /** Stores a new workload; false when one with that name exists. */
    boolean createWorkload(WorkloadRecord workload);

    Optional<WorkloadRecord> workload(String name);

    /**
     * The workload with its instances and ledger, in one read where the store allows it (one strongly consistent
     * Query on DynamoDB); empty when no workload has that name. This default composes three reads, for stores that
     * have no better way.
     */
    default Optional<WorkloadSnapshot> snapshot(String name) {
        return workload(name).map(w -> new WorkloadSnapshot(w, instances(name), ledger(name),
                policyState(name).orElse(PolicyState.NONE)));
    }

    /** The workload's policy state and pool memory, if any was stored. */
    Optional<PolicyState> policyState(String workload);

    /**
     * Stores the workload's policy state: created when {@code next.version()} is 0 and none is stored, else replaced
     * if the stored version is still {@code next.version()}; the stored copy gets version + 1. False: a lost race.
     */
    boolean updatePolicyState(String workload, PolicyState next);

    List<WorkloadRecord> workloads();

    /** Replaces the workload if its stored version is still {@code update.version()}; the stored copy gets version + 1. */
    boolean updateWorkload(WorkloadRecord update);

    /** Stores a new instance; false when the id exists. */
    boolean createInstance(InstanceRecord instance);

    Optional<InstanceRecord> instance(String instanceId);

    List<InstanceRecord> instances(String workload);

    /** As {@link #updateWorkload}. */
    boolean updateInstance(InstanceRecord update);

    void appendLedger(LedgerEntry entry);

    List<LedgerEntry> ledger(String workload);

    /** Appends the event to the outbox; returns the sequence the store gave it (1, 2, … in append order). */
    long appendEvent(OutboxEvent event);

    /** Up to {@code limit} outbox events after sequence {@code after}, in sequence order. */
    List<OutboxEvent> events(long after, int limit);

    /** The last sequence the sink {@code sink} took from the outbox (0: none yet). */
    long sinkCursor(String sink);

    /** Moves the sink's cursor from {@code from} to {@code to} if it is still at {@code from}; false: a lost race. */
    boolean moveSinkCursor(String sink, long from, long to);

    /** Records an event key as processed; false when it already was (a duplicate delivery). */
    boolean markProcessed(String eventKey);
}
