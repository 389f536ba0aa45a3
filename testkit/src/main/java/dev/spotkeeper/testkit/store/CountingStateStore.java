package dev.spotkeeper.testkit.store;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ledger.LedgerEntry;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.OutboxEvent;
import dev.spotkeeper.core.store.PolicyState;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link StateStore} that passes every call to another and records it, reads and writes apart, so a test can
 * say how many store calls a controller pass makes (each call is one request or one query on DynamoDB, except
 * the writes it documents as transactions).
 */
public final class CountingStateStore implements StateStore {
    private final StateStore store;
    private final List<String> reads = new ArrayList<>();
    private final List<String> writes = new ArrayList<>();

    public CountingStateStore(StateStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** The read calls since the last {@link #reset()}, by method name, in order. */
    public synchronized List<String> reads() {
        return List.copyOf(reads);
    }

    /** The write calls since the last {@link #reset()}, by method name, in order. */
    public synchronized List<String> writes() {
        return List.copyOf(writes);
    }

    public synchronized void reset() {
        reads.clear();
        writes.clear();
    }

    private synchronized void read(String call) {
        reads.add(call);
    }

    private synchronized void write(String call) {
        writes.add(call);
    }

    @Override
    public boolean createWorkload(WorkloadRecord workload) {
        write("createWorkload");
        return store.createWorkload(workload);
    }

    @Override
    public Optional<WorkloadRecord> workload(String name) {
        read("workload");
        return store.workload(name);
    }

    @Override
    public Optional<WorkloadSnapshot> snapshot(String name) {
        read("snapshot");
        return store.snapshot(name);
    }

    @Override
    public List<WorkloadRecord> workloads() {
        read("workloads");
        return store.workloads();
    }

    @Override
    public boolean updateWorkload(WorkloadRecord update) {
        write("updateWorkload");
        return store.updateWorkload(update);
    }

    @Override
    public boolean createInstance(InstanceRecord instance) {
        write("createInstance");
        return store.createInstance(instance);
    }

    @Override
    public Optional<InstanceRecord> instance(String instanceId) {
        read("instance");
        return store.instance(instanceId);
    }

    @Override
    public List<InstanceRecord> instances(String workload) {
        read("instances");
        return store.instances(workload);
    }

    @Override
    public boolean updateInstance(InstanceRecord update) {
        write("updateInstance");
        return store.updateInstance(update);
    }

    @Override
    public void appendLedger(LedgerEntry entry) {
        write("appendLedger");
        store.appendLedger(entry);
    }

    @Override
    public List<LedgerEntry> ledger(String workload) {
        read("ledger");
        return store.ledger(workload);
    }

    @Override
    public Optional<PolicyState> policyState(String workload) {
        read("policyState");
        return store.policyState(workload);
    }

    @Override
    public boolean updatePolicyState(String workload, PolicyState next) {
        write("updatePolicyState");
        return store.updatePolicyState(workload, next);
    }

    @Override
    public long appendEvent(OutboxEvent event) {
        write("appendEvent");
        return store.appendEvent(event);
    }

    @Override
    public List<OutboxEvent> events(long after, int limit) {
        read("events");
        return store.events(after, limit);
    }

    @Override
    public long sinkCursor(String sink) {
        read("sinkCursor");
        return store.sinkCursor(sink);
    }

    @Override
    public boolean moveSinkCursor(String sink, long from, long to) {
        write("moveSinkCursor");
        return store.moveSinkCursor(sink, from, to);
    }

    @Override
    public boolean markProcessed(String eventKey) {
        write("markProcessed");
        return store.markProcessed(eventKey);
    }
}
