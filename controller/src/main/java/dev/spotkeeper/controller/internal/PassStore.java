package dev.spotkeeper.controller.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ledger.LedgerEntry;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.OutboxEvent;
import dev.spotkeeper.core.store.PolicyState;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The store as one pass over one workload sees it: the workload's record, instances and ledger are read once, with
 * {@link StateStore#snapshot}, and every later read of them in the pass is answered from that snapshot. Writes go to
 * the store at once and stay conditional on the versions in the snapshot; a write that succeeds updates the snapshot
 * as the store now holds it, and one that loses its race (another controller wrote first) drops the snapshot, so the
 * retry reads the store again. Outside a pass, and for anything but the pass's workload, it is the store itself.
 *
 * <p>A pass belongs to the thread that runs it: a command served on another thread reads the store directly.
 */
public final class PassStore implements StateStore {
    private static final Comparator<InstanceRecord> LAUNCH_ORDER =
            Comparator.comparing(InstanceRecord::launchedAt).thenComparing(InstanceRecord::instanceId);

    private static final class Pass {
        final String name;
        /** Empty until read, and again after a lost race. */
        boolean loaded;
        WorkloadRecord workload;
        final Map<String, InstanceRecord> instances = new LinkedHashMap<>();
        final List<LedgerEntry> ledger = new ArrayList<>();
        PolicyState policy = PolicyState.NONE;

        Pass(String name) {
            this.name = name;
        }
    }

    private final StateStore store;
    private final ThreadLocal<Pass> pass = new ThreadLocal<>();
    private final Consumer<WorkloadSnapshot> onRead;

    /** @param onRead told of every snapshot read from the store (the controller recalls its pool memory from it) */
    public PassStore(StateStore store, Consumer<WorkloadSnapshot> onRead) {
        this.store = requireNonNull(store, "store is null");
        this.onRead = requireNonNull(onRead, "onRead is null");
    }

    /**
     * Runs {@code body} as a pass over {@code workload}. Within a pass over the same workload it simply runs; within
     * a pass over another one, that pass is set aside for the body and resumed after it.
     */
    public <T> T within(String workload, Supplier<T> body) {
        Pass outer = pass.get();
        if (outer != null && outer.name.equals(workload)) {
            return body.get();
        }
        pass.set(new Pass(workload));
        try {
            return body.get();
        } finally {
            if (outer == null) {
                pass.remove();
            } else {
                pass.set(outer);
            }
        }
    }

    public void within(String workload, Runnable body) {
        within(workload, () -> {
            body.run();
            return null;
        });
    }

    /** The pass's snapshot of {@code workload}, read now if it was not yet; null outside a pass over it. */
    private Pass of(String workload) {
        Pass p = pass.get();
        if (p == null || !p.name.equals(workload)) {
            return null;
        }
        if (!p.loaded) {
            p.instances.clear();
            p.ledger.clear();
            Optional<WorkloadSnapshot> s = store.snapshot(workload);
            p.workload = s.map(WorkloadSnapshot::workload).orElse(null);
            p.policy = s.map(WorkloadSnapshot::policy).orElse(PolicyState.NONE);
            s.ifPresent(x -> {
                x.instances().forEach(r -> p.instances.put(r.instanceId(), r));
                p.ledger.addAll(x.ledger());
            });
            p.loaded = true;
            s.ifPresent(onRead);
        }
        return p;
    }

    private void drop(String workload) {
        Pass p = pass.get();
        if (p != null && p.name.equals(workload)) {
            p.loaded = false;
        }
    }

    @Override
    public Optional<WorkloadSnapshot> snapshot(String name) {
        Pass p = of(name);
        if (p == null) {
            return store.snapshot(name);
        }
        return Optional.ofNullable(p.workload).map(w -> new WorkloadSnapshot(w, sorted(p), p.ledger, p.policy));
    }

    @Override
    public boolean createWorkload(WorkloadRecord workload) {
        boolean created = store.createWorkload(workload);
        drop(workload.name());
        return created;
    }

    @Override
    public Optional<WorkloadRecord> workload(String name) {
        Pass p = of(name);
        return p == null ? store.workload(name) : Optional.ofNullable(p.workload);
    }

    @Override
    public List<WorkloadRecord> workloads() {
        return store.workloads();
    }

    @Override
    public boolean updateWorkload(WorkloadRecord update) {
        boolean written = guarded(update.name(), () -> store.updateWorkload(update));
        Pass p = pass.get();
        if (p != null && p.name.equals(update.name()) && p.loaded) {
            if (written) {
                p.workload = update.withVersion(update.version() + 1);
            } else {
                p.loaded = false;
            }
        }
        return written;
    }

    @Override
    public boolean createInstance(InstanceRecord instance) {
        boolean created = guarded(instance.workload(), () -> store.createInstance(instance));
        Pass p = pass.get();
        if (p != null && p.name.equals(instance.workload()) && p.loaded) {
            if (created) {
                p.instances.put(instance.instanceId(), instance.withVersion(1));
            } else {
                p.loaded = false;
            }
        }
        return created;
    }

    /** From the snapshot when the instance is the pass's workload's; otherwise from the store. */
    @Override
    public Optional<InstanceRecord> instance(String instanceId) {
        Pass p = pass.get();
        if (p != null) {
            Pass loaded = of(p.name);
            InstanceRecord r = loaded.instances.get(instanceId);
            if (r != null) {
                return Optional.of(r);
            }
        }
        return store.instance(instanceId);
    }

    @Override
    public List<InstanceRecord> instances(String workload) {
        Pass p = of(workload);
        return p == null ? store.instances(workload) : sorted(p);
    }

    @Override
    public boolean updateInstance(InstanceRecord update) {
        boolean written = guarded(update.workload(), () -> store.updateInstance(update));
        Pass p = pass.get();
        if (p != null && p.name.equals(update.workload()) && p.loaded) {
            if (written) {
                p.instances.put(update.instanceId(), update.withVersion(update.version() + 1));
            } else {
                p.loaded = false;
            }
        }
        return written;
    }

    @Override
    public void appendLedger(LedgerEntry entry) {
        guarded(entry.workload(), () -> {
            store.appendLedger(entry);
            return true;
        });
        Pass p = pass.get();
        if (p != null && p.name.equals(entry.workload()) && p.loaded) {
            p.ledger.add(entry);
        }
    }

    @Override
    public List<LedgerEntry> ledger(String workload) {
        Pass p = of(workload);
        return p == null ? store.ledger(workload) : List.copyOf(p.ledger);
    }

    @Override
    public Optional<PolicyState> policyState(String workload) {
        Pass p = of(workload);
        if (p == null) {
            return store.policyState(workload);
        }
        return p.policy.version() == 0 ? Optional.empty() : Optional.of(p.policy);
    }

    @Override
    public boolean updatePolicyState(String workload, PolicyState next) {
        boolean written = guarded(workload, () -> store.updatePolicyState(workload, next));
        Pass p = pass.get();
        if (p != null && p.name.equals(workload) && p.loaded) {
            if (written) {
                p.policy = next.withVersion(next.version() + 1);
            } else {
                p.loaded = false;
            }
        }
        return written;
    }

    @Override
    public long appendEvent(OutboxEvent event) {
        return store.appendEvent(event);
    }

    @Override
    public List<OutboxEvent> events(long after, int limit) {
        return store.events(after, limit);
    }

    @Override
    public long sinkCursor(String sink) {
        return store.sinkCursor(sink);
    }

    @Override
    public boolean moveSinkCursor(String sink, long from, long to) {
        return store.moveSinkCursor(sink, from, to);
    }

    @Override
    public boolean markProcessed(String eventKey) {
        return store.markProcessed(eventKey);
    }

    /** A write that fails may still have happened: the snapshot is dropped, so the pass reads what is stored. */
    private boolean guarded(String workload, Supplier<Boolean> write) {
        try {
            return write.get();
        } catch (RuntimeException e) {
            drop(workload);
            throw e;
        }
    }

    private static List<InstanceRecord> sorted(Pass p) {
        List<InstanceRecord> all = new ArrayList<>(p.instances.values());
        all.sort(LAUNCH_ORDER);
        return List.copyOf(all);
    }
}
