package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.core.ledger.LedgerEntry;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.market.PoolSignals;
import dev.spotkeeper.core.policy.Decision;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.core.workload.WorkloadKind;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The generic pass over one workload, from one snapshot of it: find its instances in the cloud and bring the store
 * in line (adopt, mark gone), let its kind's {@link KindReconciler} plan and the {@link PlanExecutor} apply, stop
 * what a finished workload still holds, bill. It keeps no state of its own, so it can be stopped at any moment and
 * run again.
 */
public final class Reconciler {
    private final Context ctx;
    private final Moves moves;
    private final CloudSync cloud;
    private final Billing billing;
    private final Map<WorkloadKind, KindReconciler> kinds = new EnumMap<>(WorkloadKind.class);
    private final PlanExecutor executor;
    private final FleetReconciler fleets;

    public Reconciler(Context ctx) {
        this.ctx = ctx;
        StartFence fence = new StartFence(ctx);
        this.moves = new Moves(ctx, new Launcher(ctx, fence));
        this.cloud = new CloudSync(ctx);
        this.billing = new Billing(ctx);
        this.fleets = new FleetReconciler(ctx, moves.launcher());
        this.executor = new PlanExecutor(ctx, moves, fence, new Relocation(ctx, moves), fleets);
        KindReconciler job = new JobReconciler(ctx, new Limits(ctx, billing), moves.launcher().scheduling());
        kinds.put(job.kind(), job);
        KindReconciler service = new ServiceReconciler(ctx);
        kinds.put(service.kind(), service);
        kinds.put(fleets.kind(), fleets);
    }

    public EventHandler eventHandler() {
        return new EventHandler(ctx, moves, fleets);
    }

    /** Dollars the workload's current submission has cost so far, live instances included up to now. */
    public double spent(String workload) {
        return ctx.store.within(workload, () -> ctx.store.workload(workload).map(w -> billing.spent(w,
                ctx.store.instances(workload), ctx.clock.instant())).orElse(0.0));
    }

    /** What the workload has run up that the ledger does not hold yet (the running hour), as entries. */
    public List<LedgerEntry> unbilled(String workload) {
        return ctx.store.within(workload, () -> ctx.store.workload(workload).map(w -> billing.unbilled(w,
                ctx.store.instances(workload), ctx.clock.instant())).orElse(List.of()));
    }

    /** True when every instance is terminated and billed to its end: a finished workload needs no more passes. */
    public boolean settled(String workload) {
        return ctx.store.within(workload, () -> {
            List<InstanceRecord> all = ctx.store.instances(workload);
            return all.stream().allMatch(r -> r.state().isTerminal()) && billing.complete(workload, all);
        });
    }

    public int terminateOrphans(Set<String> regions) {
        return cloud.terminateOrphans(regions);
    }

    /**
     * One pass over one workload, from one snapshot of it; {@code scan} adds regions to search for instances it
     * never recorded.
     */
    public void reconcile(String name, Set<String> scan) {
        ctx.store.within(name, () -> pass(name, scan));
    }

    private void pass(String name, Set<String> scan) {
        Optional<WorkloadRecord> found = ctx.store.workload(name);
        if (found.isEmpty()) {
            return;
        }
        WorkloadRecord w = found.get();
        Optional<WorkloadSpec> spec = spec(w);
        Set<String> regions = new TreeSet<>(scan);
        spec.ifPresent(s -> regions.addAll(s.requirements().regions()));
        boolean fleet = spec.isPresent() && spec.get().kind() == WorkloadKind.FLEET;
        if (fleet) {
            // The group launches a fleet's instances: they are found in its region before any is recorded.
            regions.add(fleets.region(spec.get()));
        }
        Map<String, CloudInstance> instances = cloud.find(w, scan.isEmpty() && !fleet ? Set.of() : regions);
        cloud.sync(w, instances);
        w = ctx.store.workload(name).orElse(w);
        if (!w.status().isTerminal() && spec.isPresent()) {
            KindReconciler rules = kinds.get(spec.get().kind());
            if (rules != null) {
                executor.run(rules, name, new CloudView(instances, fleet ? fleets.observe(w, spec.get())
                        : Optional.empty()), ctx.clock.instant());
            }
        }
        w = ctx.store.workload(name).orElse(w);
        if (w.status().isTerminal()) {
            if (fleet) {
                fleets.stop(w);
            }
            stop(w, instances);
            if (spec.isPresent() && spec.get().kind() == WorkloadKind.SERVICE) {
                Set<String> where = new TreeSet<>(regions);
                ctx.store.instances(name).forEach(r -> where.add(Moves.region(r)));
                ctx.endpoints.release(name, where);
            }
        }
        billing.bill(name, ctx.store.instances(name), ctx.clock.instant());
    }

    private Optional<WorkloadSpec> spec(WorkloadRecord w) {
        try {
            return Optional.of(ctx.spec(w.specText()));
        } catch (RuntimeException e) {
            moves.finish(w.name(), WorkloadStatus.FAILED, "its stored spec can no longer be read: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** A finished workload keeps no instance; one still committing its checkpoint gets until its deadline. */
    private void stop(WorkloadRecord w, Map<String, CloudInstance> instances) {
        Instant now = ctx.clock.instant();
        for (InstanceRecord r : CloudSync.live(ctx.store.instances(w.name()))) {
            Instant deadline = CloudSync.evacuateTag(instances.get(r.instanceId()))
                    .orElse(r.updatedAt().plus(ctx.config.evacuationWindow()));
            boolean committing = r.state() == InstanceState.EVACUATING
                    && !now.isAfter(deadline.plus(ctx.config.evacuationGrace()))
                    && w.status() != WorkloadStatus.CANCELLED;
            if (!committing) {
                moves.terminate(r, "workload " + w.status().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
    }
}
