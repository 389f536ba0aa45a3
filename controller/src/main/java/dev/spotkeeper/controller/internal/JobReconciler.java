package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadSnapshot;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.core.workload.WorkloadKind;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.Optional;

/**
 * The rules of a batch job: one instance does the work at a time (slot 0), a warned or evacuated one is replaced,
 * limits are enforced, an exit is final, instances that keep dying young fail the job instead of being relaunched
 * forever, and the one instance doing the work may move (for the deadline, or to a cheaper pool).
 *
 * <p>The plan is made in steps, as the executor asks again after each: first the start, or a limit; then what each
 * live instance's state asks for (replace, evacuate, give up, terminate); then, once no instance needs that, a
 * second instance doing the same work (the same slot) is terminated; then waiting instances are released and, with nothing live,
 * the next one is launched — or the one doing the work is weighed for a move.
 */
final class JobReconciler implements KindReconciler {
    /** Instances in a row that may die young before the workload is failed instead of relaunched forever. */
    static final int CRASH_LOOP = 3;
    static final Duration SHORT_LIFE = Duration.ofMinutes(2);

    private final Context ctx;
    private final Limits limits;
    private final Scheduling scheduling;

    JobReconciler(Context ctx, Limits limits, Scheduling scheduling) {
        this.ctx = ctx;
        this.limits = limits;
        this.scheduling = scheduling;
    }

    @Override
    public WorkloadKind kind() {
        return WorkloadKind.JOB;
    }

    @Override
    public Plan plan(WorkloadSnapshot snapshot, CloudView cloud, Instant now) {
        WorkloadRecord w = snapshot.workload();
        if (w.status().isTerminal()) {
            return Plan.NOTHING;
        }
        WorkloadSpec spec = ctx.spec(w.specText());
        List<InstanceRecord> live = CloudSync.live(snapshot.instances());
        if (w.status() == WorkloadStatus.SUBMITTED) {
            return new Plan(List.of(new Action.Start(live.isEmpty())), List.of(), false);
        }
        Optional<Limits.Reached> limit = limits.check(w, spec, snapshot.instances(), now);
        if (limit.isPresent()) {
            List<Action> actions = new ArrayList<>();
            actions.add(new Action.Finish(WorkloadStatus.FAILED, limit.get().why()));
            for (InstanceRecord r : live) {
                if (r.state() == InstanceState.RUNNING || r.state() == InstanceState.AT_RISK) {
                    actions.add(new Action.Evacuate(r.instanceId(), limit.get().deadline(), "stopping for a limit"));
                }
            }
            return new Plan(actions, List.of(new Plan.Note("", Kind.LIMIT_REACHED,
                    limit.get().why() + ": checkpointing and stopping")), false);
        }
        List<Action> notices = limits.approaching(w, spec, snapshot.instances(), now).stream()
                .filter(n -> !ctx.noticed.contains(n.key())).map(Action.class::cast).toList();
        if (!notices.isEmpty()) {
            return new Plan(notices, List.of(), true);
        }
        List<Action> advance = new ArrayList<>();
        for (InstanceRecord r : live) {
            advance(r, snapshot.instances(), cloud, now, advance);
        }
        if (!advance.isEmpty()) {
            return new Plan(advance, List.of(), true);
        }
        List<Action> extra = new ArrayList<>();
        Map<Integer, List<InstanceRecord>> bySlot = live.stream().filter(JobReconciler::isHead)
                .collect(Collectors.groupingBy(InstanceRecord::slot, TreeMap::new, Collectors.toList()));
        for (List<InstanceRecord> same : bySlot.values()) {
            String kept = same.get(same.size() - 1).instanceId();
            for (int i = 0; i < same.size() - 1; i++) {
                extra.add(new Action.Terminate(same.get(i).instanceId(),
                        "a second instance doing the same work: keeping " + kept));
            }
        }
        if (!extra.isEmpty()) {
            return new Plan(extra, List.of(), true);
        }
        List<InstanceRecord> heads = live.stream().filter(JobReconciler::isHead).toList();
        List<Action> next = new ArrayList<>();
        next.add(new Action.ReleaseWaiting());
        boolean awaiting = live.stream().anyMatch(r -> r.replacedBy().isEmpty() && !isHead(r));
        if (heads.isEmpty() && !awaiting) {
            List<InstanceRecord> all = snapshot.instances();
            if (crashLooping(all.stream().filter(w::isCurrent).toList())) {
                next.add(new Action.Finish(WorkloadStatus.FAILED, CRASH_LOOP + " instances in a row ended within "
                        + SHORT_LIFE.toSeconds() + " s of their launch: the image, the agent or the job fails at"
                        + " start; `spotkeeper logs " + w.name() + "` shows their output"));
            } else {
                next.add(new Action.Launch(all.isEmpty() ? "" : all.get(all.size() - 1).instanceId()));
            }
        } else if (heads.size() == 1 && live.size() == 1) {
            next.add(new Action.ConsiderMove(heads.get(0).instanceId()));
        }
        return new Plan(next, List.of(), true);
    }

    /** What the state of one live instance asks for: completing what an event started. */
    private void advance(InstanceRecord r, List<InstanceRecord> all, CloudView cloud, Instant now, List<Action> out) {
        if (r.state() == InstanceState.RUNNING && !r.replacedBy().isEmpty()) {
            handOver(r, all, now, out);
            return;
        }
        switch (r.state()) {
            case AT_RISK -> Evacuations.atRisk(ctx, r, cloud, now, "evacuation requested", out);
            case EVACUATING -> Evacuations.evacuating(ctx, r, cloud, now, "no evacuation report by ",
                    ": giving up on it", out);
            case EVACUATED -> {
                if (!r.replacedBy().isEmpty()) {
                    out.add(new Action.Terminate(r.instanceId(), "evacuated; " + r.replacedBy() + " takes over"));
                } else if (scheduling.holdingOff(r.workload())) {
                    // The checkpoint is committed and the policy wants nothing held: stop paying for it now.
                    out.add(new Action.Terminate(r.instanceId(), "evacuated; the scheduling policy holds off launching"));
                } else {
                    out.add(new Action.Replace(r.instanceId()));
                }
            }
            case PENDING -> {
                // A hand-over's replacement that never reports is dropped by its predecessor's rule instead.
                if (now.isAfter(r.launchedAt().plus(ctx.config.agentStartTimeout()))
                        && handingOverFrom(r, all).isEmpty()) {
                    out.add(new Action.AgentSilent(r.instanceId()));
                }
            }
            case RUNNING, TERMINATED -> {
            }
        }
    }

    /**
     * The on-demand instance {@code o} runs the job while {@code o.replacedBy()} starts on spot (the hand-over,
     * PlanExecutor#handOver): once the spot instance's agent runs (it prepares: restores the newest checkpoint, runs
     * setup, then waits for the start signal), {@code o} is asked to evacuate, and the start fence lets the spot one
     * start from the checkpoint {@code o} commits; if the spot instance ends, is lost or stays silent before that,
     * the hand-over is dropped and {@code o} keeps the job.
     */
    private void handOver(InstanceRecord o, List<InstanceRecord> all, Instant now, List<Action> out) {
        Optional<InstanceRecord> n = all.stream().filter(x -> x.instanceId().equals(o.replacedBy())).findFirst();
        if (n.isEmpty() || n.get().released()) {
            return; // recorded by another pass, or already let start (the fence saw o stop): nothing to add here
        }
        InstanceRecord next = n.get();
        switch (next.state()) {
            case RUNNING -> out.add(new Action.Evacuate(o.instanceId(), now.plus(ctx.config.evacuationWindow()),
                    "handing over to " + next.instanceId() + " on spot, which has started"));
            case PENDING -> {
                if (now.isAfter(next.launchedAt().plus(ctx.config.agentStartTimeout()))) {
                    out.add(new Action.DropHandOver(o.instanceId(), next.instanceId(), "its agent did not report within "
                            + ctx.config.agentStartTimeout().toMinutes() + " min of its launch"));
                }
            }
            case AT_RISK, EVACUATING, EVACUATED, TERMINATED -> out.add(new Action.DropHandOver(o.instanceId(),
                    next.instanceId(), "it ended (" + next.state().name().toLowerCase(java.util.Locale.ROOT)
                    + ") before it started the job"));
        }
    }

    /** As {@link Moves#handingOverFrom}, from the snapshot's records. */
    static Optional<InstanceRecord> handingOverFrom(InstanceRecord r, List<InstanceRecord> all) {
        if (r.replaces().isEmpty() || r.released()) {
            return Optional.empty();
        }
        return all.stream().filter(o -> o.instanceId().equals(r.replaces()) && o.state() == InstanceState.RUNNING
                && !o.spot() && o.replacedBy().equals(r.instanceId())).findFirst();
    }

    /** The last {@link #CRASH_LOOP} instances all ended soon after their launch, none of them evacuated. */
    static boolean crashLooping(List<InstanceRecord> all) {
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

    /** The instance doing its slot's work now: not replaced, and pending or running. */
    static boolean isHead(InstanceRecord r) {
        return r.replacedBy().isEmpty() && (r.state() == InstanceState.PENDING || r.state() == InstanceState.RUNNING);
    }
}
