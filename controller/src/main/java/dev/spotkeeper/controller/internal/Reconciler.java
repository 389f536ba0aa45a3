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
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Drives one workload from what is stored and what the cloud reports towards what its spec wants: exactly one
 * instance doing the work, replacements for instances that are going, limits enforced, relocation when a much
 * better pool appears. It keeps no state of its own, so it can be stopped at any moment and run again.
 */
public final class Reconciler {
    /** Instances in a row that may die young before the workload is failed instead of relaunched forever. */
    private static final int CRASH_LOOP = 3;
    private static final Duration SHORT_LIFE = Duration.ofMinutes(2);

    private final Context ctx;
    private final Moves moves;
    private final CloudSync cloud;
    private final Billing billing;
    private final Relocation relocation;
    private final StartFence fence;
    private final Limits limits;

    public Reconciler(Context ctx) {
        this.ctx = ctx;
        this.fence = new StartFence(ctx);
        this.moves = new Moves(ctx, new Launcher(ctx, fence));
        this.cloud = new CloudSync(ctx);
        this.billing = new Billing(ctx);
        this.limits = new Limits(ctx, moves, billing);
        this.relocation = new Relocation(ctx, moves);
    }

    public EventHandler eventHandler() {
        return new EventHandler(ctx, moves);
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
        Map<String, CloudInstance> instances = cloud.find(w, scan.isEmpty() ? Set.of() : regions);
        cloud.sync(w, instances);
        w = ctx.store.workload(name).orElse(w);
        if (!w.status().isTerminal() && spec.isPresent()) {
            drive(w, spec.get(), instances);
        }
        w = ctx.store.workload(name).orElse(w);
        if (w.status().isTerminal()) {
            stop(w, instances);
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

    private void drive(WorkloadRecord w, WorkloadSpec spec, Map<String, CloudInstance> instances) {
        Instant now = ctx.clock.instant();
        if (w.status() == WorkloadStatus.SUBMITTED) {
            if (CloudSync.live(ctx.store.instances(w.name())).isEmpty()
                    && moves.launcher().launch(w, spec, "", Set.of()).isEmpty()) {
                return;
            }
            ctx.records.updateWorkload(w.name(), x -> x.status() != WorkloadStatus.SUBMITTED ? x
                    : x.with(WorkloadStatus.RUNNING, x.progress(), x.lastCheckpoint(), now));
            return;
        }
        if (limits.reached(w, spec, now)) {
            return;
        }
        for (InstanceRecord r : CloudSync.live(ctx.store.instances(w.name()))) {
            advance(r, instances.get(r.instanceId()), now);
        }
        if (ctx.store.workload(w.name()).map(x -> x.status().isTerminal()).orElse(true)) {
            return;
        }
        List<InstanceRecord> live = CloudSync.live(ctx.store.instances(w.name()));
        List<InstanceRecord> heads = live.stream().filter(Reconciler::isHead).toList();
        for (int i = 0; i < heads.size() - 1; i++) {
            moves.terminate(heads.get(i), "a second instance doing the same work: keeping " + heads.get(heads.size() - 1).instanceId());
        }
        fence.release(w, instances, now);
        live = CloudSync.live(ctx.store.instances(w.name()));
        heads = live.stream().filter(Reconciler::isHead).toList();
        boolean awaiting = live.stream().anyMatch(r -> r.replacedBy().isEmpty() && !isHead(r));
        if (heads.isEmpty() && !awaiting) {
            List<InstanceRecord> all = ctx.store.instances(w.name());
            if (crashLooping(current(w))) {
                moves.finish(w.name(), WorkloadStatus.FAILED, CRASH_LOOP + " instances in a row ended within "
                        + SHORT_LIFE.toSeconds() + " s of their launch: the image, the agent or the job fails at"
                        + " start; `spotkeeper logs " + w.name() + "` shows their output");
                return;
            }
            String last = all.isEmpty() ? "" : all.get(all.size() - 1).instanceId();
            moves.launcher().launch(w, spec, last, Set.of());
        } else if (heads.size() == 1 && live.size() == 1 && !deadlineMove(w, spec, heads.get(0), now)) {
            relocation.consider(spec, heads.get(0), now);
        }
    }

    /**
     * A planned move to on-demand, through relocation's path (evacuate first, relaunch once the checkpoint is
     * committed): when the policy says on-demand while the work runs on spot and the deadline is at risk.
     */
    private boolean deadlineMove(WorkloadRecord w, WorkloadSpec spec, InstanceRecord head, Instant now) {
        if (spec.deadline().isEmpty() || head.state() != InstanceState.RUNNING || !head.spot()) {
            return false;
        }
        List<PoolSignals> candidates = moves.launcher().ranked(spec, Set.of());
        if (candidates.isEmpty()) {
            return false;
        }
        Scheduling.Verdict v = moves.launcher().scheduling().forRunning(w, spec, candidates, head, now);
        if (!(v.decision() instanceof Decision.OnDemand) || !v.deadlineAtRisk()) {
            return false;
        }
        ctx.journal.note(w.name(), head.instanceId(), Kind.RELOCATING, "the deadline is at risk on spot: moving to"
                + " on-demand");
        moves.evacuate(head, now.plus(ctx.config.evacuationWindow()), "moving to on-demand for the deadline");
        return true;
    }

    /** Completes what an event started: replacements, evacuations, terminations after evacuation. */
    private void advance(InstanceRecord r, CloudInstance c, Instant now) {
        Instant deadline = CloudSync.evacuateTag(c).orElse(r.updatedAt().plus(ctx.config.evacuationWindow()));
        switch (r.state()) {
            case AT_RISK -> {
                moves.replace(r);
                moves.evacuate(moves.current(r), CloudSync.evacuateTag(c).orElse(now.plus(ctx.config.evacuationWindow())),
                        "evacuation requested");
            }
            case EVACUATING -> {
                if (now.isAfter(deadline.plus(ctx.config.evacuationGrace()))) {
                    moves.replace(r);
                    moves.terminate(moves.current(r), "no evacuation report by " + deadline + ": giving up on it");
                }
            }
            case EVACUATED -> {
                Optional<InstanceRecord> next = moves.replace(r);
                if (next.isPresent()) {
                    moves.terminate(moves.current(r), "evacuated; " + next.get().instanceId() + " takes over");
                } else if (moves.launcher().scheduling().holdingOff(r.workload())) {
                    // The checkpoint is committed and the policy wants nothing held: stop paying for it now.
                    moves.terminate(moves.current(r), "evacuated; the scheduling policy holds off launching");
                }
            }
            case PENDING -> {
                if (now.isAfter(r.launchedAt().plus(ctx.config.agentStartTimeout()))) {
                    String why = "the agent of " + r.instanceId() + " did not report within "
                            + ctx.config.agentStartTimeout().toMinutes() + " min of its launch: the image, the user"
                            + " data or the agent is broken" + lastConsoleLine(r) + "; `spotkeeper logs "
                            + r.workload() + "` shows its output";
                    moves.finish(r.workload(), WorkloadStatus.FAILED, why);
                    moves.terminate(r, "agent never reported");
                }
            }
            case RUNNING, TERMINATED -> {
            }
        }
    }

    /** "; its last console line: …" from the instance's console output, or nothing when there is none to read. */
    private String lastConsoleLine(InstanceRecord r) {
        try {
            String[] lines = ctx.compute.consoleOutput(Moves.region(r), r.instanceId()).split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                String line = lines[i].strip();
                if (!line.isEmpty()) {
                    return "; its last console line: " + (line.length() > 300 ? line.substring(0, 300) + "…" : line);
                }
            }
            return "; its console is empty";
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** The instances of the workload's current submission. */
    private List<InstanceRecord> current(WorkloadRecord w) {
        return ctx.store.instances(w.name()).stream().filter(w::isCurrent).toList();
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

    /** The last {@link #CRASH_LOOP} instances all ended soon after their launch, none of them evacuated. */
    private static boolean crashLooping(List<InstanceRecord> all) {
        if (all.size() < CRASH_LOOP) {
            return false;
        }
        for (InstanceRecord r : all.subList(all.size() - CRASH_LOOP, all.size())) {
            if (!r.state().isTerminal() || r.updatedAt().isAfter(r.launchedAt().plus(SHORT_LIFE))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHead(InstanceRecord r) {
        return r.replacedBy().isEmpty() && (r.state() == InstanceState.PENDING || r.state() == InstanceState.RUNNING);
    }
}
