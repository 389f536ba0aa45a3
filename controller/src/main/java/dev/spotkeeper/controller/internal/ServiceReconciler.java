package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.EventFields;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadSnapshot;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.core.workload.WorkloadKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules of a service (a database): one primary serves at a time (slot 0). On a warning, a rebalance
 * recommendation turned warning, or the agent's own notice, the replacement is launched at once and restores from
 * S3 while the old primary still serves; the old one is asked to hand over ({@code spotkeeper:evacuate}: it refuses
 * writes, ships its last log and commits the final GTID, then reports {@code evacuated}); once it has, it is
 * terminated, and the replacement — which verifies the hand-over before it answers — is the primary from its
 * {@code started}. A planned relocation ({@code relocation.every}, {@code minGain}) takes the same path: the
 * replacement launched in the better pool first, then the hand-over. A primary lost without warning is replaced by one that restores from S3 alone. A service never
 * ends by itself: it runs until cancelled, or fails when its instances keep dying young or its agent never reports.
 * Meanwhile it has the backup in S3 looked at ({@link DataAtRisk}): while the primary serves, when it hands over,
 * and when one is gone without handing over.
 */
final class ServiceReconciler implements KindReconciler {
    /** How long after a primary's loss the reconciler still looks whether it left data at risk. */
    static final Duration LOSS_LOOK_BACK = Duration.ofHours(1);

    private final Context ctx;

    ServiceReconciler(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public WorkloadKind kind() {
        return WorkloadKind.SERVICE;
    }

    @Override
    public Plan plan(WorkloadSnapshot snapshot, CloudView cloud, Instant now) {
        WorkloadRecord w = snapshot.workload();
        if (w.status().isTerminal()) {
            return Plan.NOTHING;
        }
        List<InstanceRecord> live = CloudSync.live(snapshot.instances());
        if (w.status() == WorkloadStatus.SUBMITTED) {
            return new Plan(List.of(new Action.Start(live.isEmpty())), List.of(), false);
        }
        List<Action> advance = new ArrayList<>();
        for (InstanceRecord r : live) {
            advance(r, cloud, now, advance);
        }
        if (!advance.isEmpty()) {
            return new Plan(advance, List.of(), true);
        }
        List<InstanceRecord> primaries = live.stream().filter(JobReconciler::isHead).toList();
        List<Action> next = new ArrayList<>();
        // Two primaries (a launch that raced): the newest is kept, as for a job's slot.
        for (int i = 0; i < primaries.size() - 1; i++) {
            next.add(new Action.Terminate(primaries.get(i).instanceId(), "a second primary: keeping "
                    + primaries.get(primaries.size() - 1).instanceId()));
        }
        if (!next.isEmpty()) {
            return new Plan(next, List.of(), true);
        }
        next.add(new Action.ReleaseWaiting());
        boolean handingOver = live.stream().anyMatch(r -> r.replacedBy().isEmpty() && !JobReconciler.isHead(r));
        // The endpoint moves only to a primary that serves: a replacement is RUNNING once its hand-over verified.
        if (primaries.size() == 1 && primaries.get(0).state() == InstanceState.RUNNING) {
            next.add(new Action.Endpoint(primaries.get(0).instanceId()));
        }
        if (primaries.size() == 1 && primaries.get(0).state() == InstanceState.RUNNING) {
            next.add(new Action.CheckData(primaries.get(0).instanceId(), Action.CheckData.When.SERVING));
        }
        for (InstanceRecord r : live) {
            if (r.state() == InstanceState.AT_RISK || r.state() == InstanceState.EVACUATING) {
                next.add(new Action.CheckData(r.instanceId(), Action.CheckData.When.HANDING_OVER));
            }
        }
        for (InstanceRecord r : snapshot.instances()) {
            // Gone without handing over (lost, or terminated when its hand-over never came): recently, so that the
            // look costs nothing once the loss is old.
            if (r.state() == InstanceState.TERMINATED && r.committed().isEmpty()
                    && r.updatedAt().isAfter(now.minus(LOSS_LOOK_BACK))) {
                next.add(new Action.CheckData(r.instanceId(), Action.CheckData.When.LOST));
            }
        }
        if (primaries.size() == 1 && live.size() == 1 && primaries.get(0).state() == InstanceState.RUNNING
                && !moveAbandoned(primaries.get(0), snapshot.instances())) {
            // A planned relocation, considered only with one primary and no move under way, so a move never
            // starts another: the replacement first, then the same hand-over as on a warning.
            next.add(new Action.ConsiderMove(primaries.get(0).instanceId()));
        }
        if (primaries.isEmpty() && !handingOver) {
            List<InstanceRecord> all = snapshot.instances();
            // A primary that handed over ended because it moved, however soon after its launch: not a crash. Only
            // those that never handed over (died at start, or lost) count towards a database that does not come up.
            if (JobReconciler.crashLooping(all.stream().filter(w::isCurrent).filter(r -> r.committed().isEmpty())
                    .toList())) {
                next.add(new Action.Finish(WorkloadStatus.FAILED, JobReconciler.CRASH_LOOP + " instances in a row"
                        + " ended within " + JobReconciler.SHORT_LIFE.toSeconds() + " s of their launch: the"
                        + " database does not come up; `spotkeeper logs " + w.name() + "` shows their output"));
            } else {
                // No primary and none coming: lost without warning. The next one restores from S3 alone.
                next.add(new Action.Launch(all.isEmpty() ? "" : all.get(all.size() - 1).instanceId()));
            }
        }
        return new Plan(next, List.of(), true);
    }

    /**
     * Whether a move from {@code primary} was abandoned: a replacement of it ended while it is replaced by nobody.
     * Such a primary is not relocated again (its replacement would restore the same gap and give up again).
     */
    static boolean moveAbandoned(InstanceRecord primary, List<InstanceRecord> all) {
        return primary.replacedBy().isEmpty() && all.stream().anyMatch(i -> i.replaces().equals(primary.instanceId())
                && i.state().isTerminal());
    }

    /**
     * The primary moved, told once per old primary: writes are refused from when the hand-over was asked (the
     * warning) until the replacement, having verified it, serves; what is known now is the time until the old one
     * handed over.
     */
    private static Action.Notice primaryMoved(InstanceRecord r) {
        Instant asked = r.interruptedAt().orElse(r.updatedAt());
        Duration refused = Duration.between(asked, r.updatedAt());
        return new Action.Notice("primary-moved|" + r.instanceId(), ControllerEvent.Kind.PRIMARY_MOVED,
                "primary moved from " + r.instanceId() + " to " + r.replacedBy() + ": writes refused from the"
                        + " hand-over asked at " + asked + " (" + refused.toMillis() / 1000.0 + " s until "
                        + r.instanceId() + " handed over" + (r.committed().isEmpty() ? "" : " at " + r.committed())
                        + "), until " + r.replacedBy() + " has verified the hand-over and serves",
                EventFields.NONE.withInstance(r.poolKey(), r.pricePerHour(), r.spot())
                        .withCheckpoint(r.committed(), Optional.empty(), Optional.of(refused)));
    }

    /** What the state of one live instance asks for in a hand-over. */
    private void advance(InstanceRecord r, CloudView cloud, Instant now, List<Action> out) {
        switch (r.state()) {
            case AT_RISK -> Evacuations.atRisk(ctx, r, cloud, now, "hand-over requested: the replacement restores from S3 meanwhile", out);
            case EVACUATING -> Evacuations.evacuating(ctx, r, cloud, now, "no hand-over report by ",
                    ": giving up on it; its replacement serves what S3 holds", out);
            case EVACUATED -> {
                if (!r.replacedBy().isEmpty()) {
                    out.add(primaryMoved(r));
                    out.add(new Action.Terminate(r.instanceId(), "handed over; " + r.replacedBy()
                            + " takes over as primary"));
                } else {
                    out.add(new Action.Replace(r.instanceId()));
                }
            }
            case PENDING -> {
                if (now.isAfter(r.launchedAt().plus(ctx.config.agentStartTimeout()))) {
                    out.add(new Action.AgentSilent(r.instanceId()));
                }
            }
            case RUNNING, TERMINATED -> {
            }
        }
    }
}
