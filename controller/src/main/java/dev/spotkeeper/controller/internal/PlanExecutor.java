package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.market.PoolSignals;
import dev.spotkeeper.core.policy.Decision;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadSnapshot;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Applies a {@link KindReconciler}'s plans to one workload: it asks for a plan from the pass's snapshot, applies its
 * actions in order through the idempotent steps of {@link Moves} (every store write conditional on the version
 * read), and asks again from the snapshot as it then is, until a plan has nothing it has not already done in this
 * pass (or says it is the last). An action is applied at most once per pass.
 */
final class PlanExecutor {
    /** Plans per pass at most: the job's steps need four; more would mean two rules undoing each other. */
    private static final int ROUNDS = 8;

    private final Context ctx;
    private final Moves moves;
    private final StartFence fence;
    private final Relocation relocation;
    private final DataAtRisk data;
    private final FleetReconciler fleets;

    PlanExecutor(Context ctx, Moves moves, StartFence fence, Relocation relocation, FleetReconciler fleets) {
        this.data = new DataAtRisk(ctx);
        this.ctx = ctx;
        this.fleets = fleets;
        this.moves = moves;
        this.fence = fence;
        this.relocation = relocation;
    }

    void run(KindReconciler kind, String name, CloudView cloud, Instant now) {
        Set<Action> done = new HashSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            Optional<WorkloadSnapshot> snapshot = ctx.store.snapshot(name);
            if (snapshot.isEmpty() || snapshot.get().workload().status().isTerminal()) {
                return;
            }
            Plan plan = kind.plan(snapshot.get(), cloud, now);
            List<Action> fresh = plan.actions().stream().filter(a -> !done.contains(a)).toList();
            if (fresh.isEmpty() && (plan.events().isEmpty() || round > 0)) {
                return;
            }
            for (Plan.Note n : plan.events()) {
                ctx.journal.note(name, n.instanceId(), n.kind(), n.message());
            }
            for (Action a : fresh) {
                done.add(a);
                apply(a, name, cloud, now);
            }
            if (!plan.again()) {
                return;
            }
        }
    }

    private void apply(Action action, String name, CloudView cloud, Instant now) {
        Optional<WorkloadRecord> found = ctx.store.workload(name);
        if (found.isEmpty()) {
            return;
        }
        WorkloadRecord w = found.get();
        if (action instanceof Action.Start s) {
            if (s.launch() && moves.launcher().launch(w, ctx.spec(w.specText()), "", Set.of()).isEmpty()) {
                return;
            }
            ctx.records.updateWorkload(name, x -> x.status() != WorkloadStatus.SUBMITTED ? x
                    : x.with(WorkloadStatus.RUNNING, x.progress(), x.lastCheckpoint(), now));
        } else if (action instanceof Action.Launch l) {
            moves.launcher().launch(w, ctx.spec(w.specText()), l.after(), Set.of());
        } else if (action instanceof Action.Replace r) {
            instance(r.instanceId()).ifPresent(moves::replace);
        } else if (action instanceof Action.Evacuate e) {
            instance(e.instanceId()).ifPresent(r -> moves.evacuate(r, e.deadline(), e.cause()));
        } else if (action instanceof Action.Terminate t) {
            instance(t.instanceId()).ifPresent(r -> moves.terminate(r, t.why()));
        } else if (action instanceof Action.Finish f) {
            moves.finish(name, f.status(), f.why());
        } else if (action instanceof Action.AgentSilent a) {
            instance(a.instanceId()).ifPresent(r -> {
                String why = "the agent of " + r.instanceId() + " did not report within "
                        + ctx.config.agentStartTimeout().toMinutes() + " min of its launch: the image, the user"
                        + " data or the agent is broken" + lastConsoleLine(r) + "; `spotkeeper logs "
                        + r.workload() + "` shows its output";
                moves.finish(r.workload(), WorkloadStatus.FAILED, why);
                moves.terminate(r, "agent never reported");
            });
        } else if (action instanceof Action.Endpoint ep) {
            instance(ep.instanceId()).ifPresent(ctx.endpoints::follow);
        } else if (action instanceof Action.ReleaseWaiting) {
            fence.release(w, cloud.instances(), now);
        } else if (action instanceof Action.Notice n) {
            if (ctx.noticed.add(n.key()) && ctx.store.markProcessed(n.key())) {
                ctx.journal.note(name, "", n.kind(), n.message(), n.fields());
            }
        } else if (action instanceof Action.CheckData c) {
            instance(c.instanceId()).ifPresent(r -> data.check(w, r, c.when(), cloud, now));
        } else if (action instanceof Action.Fleet f) {
            fleets.apply(f, w, cloud, now);
        } else if (action instanceof Action.ConsiderMove m) {
            instance(m.instanceId()).ifPresent(head -> {
                WorkloadSpec spec = ctx.spec(w.specText());
                if (!deadlineMove(w, spec, head, now) && !handOver(w, spec, head, now)) {
                    relocation.consider(spec, head, now);
                }
            });
        } else if (action instanceof Action.DropHandOver d) {
            instance(d.instanceId()).ifPresent(from -> instance(d.replacement())
                    .ifPresent(next -> moves.dropHandOver(from, next, d.why())));
        }
    }

    private Optional<InstanceRecord> instance(String id) {
        return ctx.store.instance(id);
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
                + " on-demand", dev.spotkeeper.core.store.EventFields.NONE.withInstance(head.poolKey(),
                head.pricePerHour(), head.spot()).withMove(head.poolKey(), "on-demand", "deadline"));
        moves.evacuate(head, now.plus(ctx.config.evacuationWindow()), "moving to on-demand for the deadline");
        return true;
    }

    /**
     * Leaving on-demand for spot by a hand-over, when the policy asks for spot while the work runs on a warm
     * on-demand instance: the spot instance is launched as its replacement without the start signal, so it boots
     * and prepares while the on-demand one goes on running the job; the job's rules then ask the on-demand one to
     * evacuate once the spot one's agent runs, and the start fence lets the spot one start from the checkpoint it
     * commits. A refused launch leaves the on-demand instance as it was, and no other is tried before the next tick.
     */
    private boolean handOver(WorkloadRecord w, WorkloadSpec spec, InstanceRecord head, Instant now) {
        if (spec.deadline().isEmpty() || head.state() != InstanceState.RUNNING || head.spot()
                || !head.replacedBy().isEmpty() || moves.launcher().scheduling().handOverHeldOff(w.name(), now)) {
            return false;
        }
        List<PoolSignals> candidates = moves.launcher().ranked(spec, Set.of());
        if (candidates.isEmpty()) {
            return false;
        }
        Scheduling.Verdict v = moves.launcher().scheduling().forRunning(w, spec, candidates, head, now);
        if (!(v.decision() instanceof Decision.Spot spot) || v.deadlineAtRisk()) {
            return false;
        }
        if (DeadlineRule.needsOnDemand(spec, w, ctx.store.instances(w.name()), now.plus(Scheduling.TICK),
                ctx.config.restartOverhead())) {
            // The deadline rule would send the job back to on-demand within a tick of its start on spot.
            return false;
        }
        ctx.journal.note(w.name(), head.instanceId(), Kind.RELOCATING, "leaving on-demand for spot, preferring "
                + spot.zone() + ": " + head.instanceId() + " runs the job until the spot instance has started",
                dev.spotkeeper.core.store.EventFields.NONE.withInstance(head.poolKey(), head.pricePerHour(),
                        head.spot()).withMove(head.poolKey(), "spot", "policy"));
        Optional<InstanceRecord> next = moves.launcher().launch(w, spec, head.instanceId(), Set.of(),
                Optional.of(spot));
        if (next.isEmpty()) {
            moves.launcher().scheduling().handOverRefused(w.name(), now);
            ctx.journal.note(w.name(), head.instanceId(), Kind.RELOCATING, "no spot instance could be had: "
                    + head.instanceId() + " keeps the job on on-demand");
        }
        return true;
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
}
