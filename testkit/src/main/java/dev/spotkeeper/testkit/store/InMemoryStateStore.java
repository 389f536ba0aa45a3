package dev.spotkeeper.testkit.store;

import dev.spotkeeper.core.ledger.LedgerEntry;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.OutboxEvent;
import dev.spotkeeper.core.store.PolicyState;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * A {@link StateStore} in memory with the same conditional-write rules as the DynamoDB one. A failure mode makes
 * every write throw, to test what the controller does when its store is down.
 */
public final class InMemoryStateStore implements StateStore {
    private final Map<String, WorkloadRecord> workloads = new ConcurrentHashMap<>();
    private final Map<String, InstanceRecord> instances = new ConcurrentHashMap<>();
    private final List<LedgerEntry> ledger = new ArrayList<>();
    private final Map<String, PolicyState> policies = new ConcurrentHashMap<>();
    private final List<OutboxEvent> outbox = new ArrayList<>();
    private final Map<String, Long> cursors = new ConcurrentHashMap<>();
    private final Set<String> processed = ConcurrentHashMap.newKeySet();
    private volatile boolean broken;

    /** While broken, every write throws an IllegalStateException as a store outage would. */
    public void setBroken(boolean broken) {
        this.broken = broken;
    }

    private void checkUp() {
        if (broken) {
            throw new IllegalStateException("state store unavailable (failure mode)");
        }
    }

    @Override
    public boolean createWorkload(WorkloadRecord workload) {
        checkUp();
        return workloads.putIfAbsent(workload.name(), workload.withVersion(1)) == null;
    }

    @Override
    public Optional<WorkloadRecord> workload(String name) {
        return Optional.ofNullable(workloads.get(name));
    }

    /** Read under the ledger's lock, so the ledger is the one of that moment. */
    @Override
    public synchronized Optional<WorkloadSnapshot> snapshot(String name) {
        return workload(name).map(w -> new WorkloadSnapshot(w, instances(name), ledger(name),
                policyState(name).orElse(PolicyState.NONE)));
    }

    @Override
    public Optional<PolicyState> policyState(String workload) {
        return Optional.ofNullable(policies.get(workload));
    }

    @Override
    public boolean updatePolicyState(String workload, PolicyState next) {
        checkUp();
        if (next.version() == 0) {
            return policies.putIfAbsent(workload, next.withVersion(1)) == null;
        }
        return compareAndSet(policies, workload, next.version(), next.withVersion(next.version() + 1),
                PolicyState::version);
    }

    @Override
    public List<WorkloadRecord> workloads() {
        List<WorkloadRecord> all = new ArrayList<>(workloads.values());
        all.sort(Comparator.comparing(WorkloadRecord::submittedAt).thenComparing(WorkloadRecord::name));
        return all;
    }

    @Override
    public boolean updateWorkload(WorkloadRecord update) {
        checkUp();
        return compareAndSet(workloads, update.name(), update.version(), update.withVersion(update.version() + 1),
                WorkloadRecord::version);
    }

    @Override
    public boolean createInstance(InstanceRecord instance) {
        checkUp();
        return instances.putIfAbsent(instance.instanceId(), instance.withVersion(1)) == null;
    }

    @Override
    public Optional<InstanceRecord> instance(String instanceId) {
        return Optional.ofNullable(instances.get(instanceId));
    }

    @Override
    public List<InstanceRecord> instances(String workload) {
        return instances.values().stream().filter(i -> i.workload().equals(workload))
                .sorted(Comparator.comparing(InstanceRecord::launchedAt).thenComparing(InstanceRecord::instanceId))
                .toList();
    }

    @Override
    public boolean updateInstance(InstanceRecord update) {
        checkUp();
        return compareAndSet(instances, update.instanceId(), update.version(), update.withVersion(update.version() + 1),
                InstanceRecord::version);
    }

    /** Stores {@code next} under {@code key} only while the stored record still has {@code expectedVersion}. */
    private static <R> boolean compareAndSet(Map<String, R> records, String key, long expectedVersion, R next,
                                             ToLongFunction<R> version) {
        boolean[] done = {false};
        records.computeIfPresent(key, (k, current) -> {
            if (version.applyAsLong(current) != expectedVersion) {
                return current;
            }
            done[0] = true;
            return next;
        });
        return done[0];
    }

    @Override
    public synchronized void appendLedger(LedgerEntry entry) {
        checkUp();
        ledger.add(entry);
    }

    @Override
    public synchronized List<LedgerEntry> ledger(String workload) {
        return ledger.stream().filter(e -> e.workload().equals(workload)).toList();
    }

    @Override
    public synchronized long appendEvent(OutboxEvent event) {
        checkUp();
        OutboxEvent stored = event.withSequence(outbox.size() + 1);
        outbox.add(stored);
        return stored.sequence();
    }

    @Override
    public synchronized List<OutboxEvent> events(long after, int limit) {
        return outbox.stream().filter(e -> e.sequence() > after).limit(limit).toList();
    }

    @Override
    public long sinkCursor(String sink) {
        return cursors.getOrDefault(sink, 0L);
    }

    @Override
    public synchronized boolean moveSinkCursor(String sink, long from, long to) {
        checkUp();
        if (cursors.getOrDefault(sink, 0L) != from) {
            return false;
        }
        cursors.put(sink, to);
        return true;
    }

    @Override
    public boolean markProcessed(String eventKey) {
        checkUp();
        return processed.add(eventKey);
    }
}
