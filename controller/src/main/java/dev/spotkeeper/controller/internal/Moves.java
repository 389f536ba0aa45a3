package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.market.Pool;
import dev.spotkeeper.core.store.EventFields;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The steps both event handling and reconciliation take: put an instance at risk, launch its replacement, ask
 * its agent to evacuate, terminate it. Every step is idempotent, so a step repeated after a crash or a duplicate
 * event changes nothing.
 */
final class Moves {
    private final Context ctx;
    private final Launcher launcher;

    Moves(Context ctx, Launcher launcher) {
        this.ctx = ctx;
        this.launcher = launcher;
    }

    Launcher launcher() {
        return launcher;
    }

    /**
     * The interruption warning: as {@link #atRisk}, and told even when the instance is already on its way out (a
     * rebalance recommendation came first), since its owner learns only now that AWS takes it back and by when. The
     * inbox drops a second warning for one instance by its key, so this is told once.
     */
    void warned(InstanceRecord r, Instant deadline, String cause) {
        if (atRisk(r, deadline, cause)) {
            return;
        }
        InstanceState now = current(r).state();
        if (now == InstanceState.AT_RISK || now == InstanceState.EVACUATING || now == InstanceState.EVACUATED) {
            ctx.journal.note(r.workload(), r.instanceId(), Kind.AT_RISK, cause + "; evacuate by " + deadline
                    + " (already " + now.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")",
                    atRiskFields(r, deadline));
        }
    }

    /**
     * AWS warned about the instance: AT_RISK, replacement launched at once, agent asked to evacuate. False when the
     * instance was not moved to AT_RISK (on its way out already, or gone).
     */
    boolean atRisk(InstanceRecord r, Instant deadline, String cause) {
        return atRisk(r, deadline, cause, Optional.empty());
    }

    /** As {@link #atRisk(InstanceRecord, Instant, String)}, for an AWS Health change that starts at {@code changeAt}. */
    boolean atRisk(InstanceRecord r, Instant deadline, String cause, Optional<Instant> changeAt) {
        Instant now = ctx.clock.instant();
        boolean moved = ctx.records.move(r.instanceId(), InstanceState.AT_RISK, now);
        if (r.spot()) {
            ctx.rememberPool(r.workload(), r.poolKey(), now);
            ctx.records.interrupted(r.instanceId(), now);
        }
        if (!moved) {
            return false;
        }
        EventFields fields = atRiskFields(r, deadline);
        ctx.journal.note(r.workload(), r.instanceId(), Kind.AT_RISK, cause + "; evacuate by " + deadline,
                changeAt.map(fields::withChangeAt).orElse(fields));
        Optional<InstanceRecord> from = handingOverFrom(current(r));
        if (from.isPresent()) {
            // Lost while it started, before the instance it takes over from was asked to stop: that one keeps the job.
            dropHandOver(from.get(), current(r), "lost while starting (" + cause + ")");
            return true;
        }
        replace(current(r));
        evacuate(current(r), deadline, "evacuation requested (" + cause + ")");
        return true;
    }

    private static EventFields atRiskFields(InstanceRecord r, Instant deadline) {
        return EventFields.NONE.withInstance(r.poolKey(), r.pricePerHour(), r.spot()).withDeadline(deadline);
    }

    /**
     * The on-demand instance {@code r} is taking over from by a hand-over, while that one still runs the job and was
     * not asked to stop: {@code r} was not told to start, and its predecessor is RUNNING and names it as its
     * replacement. Empty for any other instance.
     */
    Optional<InstanceRecord> handingOverFrom(InstanceRecord r) {
        if (r.replaces().isEmpty() || r.released()) {
            return Optional.empty();
        }
        return ctx.store.instance(r.replaces()).filter(o -> o.state() == InstanceState.RUNNING && !o.spot()
                && o.replacedBy().equals(r.instanceId()));
    }

    /**
     * A hand-over that will not happen: {@code replacement} is terminated (if still live) and {@code from} goes on
     * running the job as if it had never been launched.
     */
    void dropHandOver(InstanceRecord from, InstanceRecord replacement, String why) {
        if (!replacement.state().isTerminal()) {
            terminate(replacement, "hand-over dropped: " + why + "; " + from.instanceId() + " keeps the job");
        }
        // As after a refused launch: the policy is asked again, and another tried, at the next tick.
        launcher.scheduling().handOverRefused(from.workload(), ctx.clock.instant());
        if (ctx.records.unlink(from.instanceId(), replacement.instanceId(), ctx.clock.instant())) {
            ctx.journal.note(from.workload(), from.instanceId(), Kind.RELOCATING, "hand-over to "
                    + replacement.instanceId() + " dropped (" + why + "): the on-demand instance keeps the job");
        }
    }

    /** Launches the replacement of {@code r} if the workload still runs and none was launched yet. */
    Optional<InstanceRecord> replace(InstanceRecord r) {
        if (!r.replacedBy().isEmpty()) {
            return ctx.store.instance(r.replacedBy());
        }
        Optional<WorkloadRecord> w = ctx.store.workload(r.workload());
        if (w.isEmpty() || w.get().status().isTerminal()) {
            return Optional.empty();
        }
        WorkloadSpec spec = ctx.spec(w.get().specText());
        return launcher.launch(w.get(), spec, r.instanceId(), Set.of(r.poolKey()));
    }

    /** Tags the instance with the evacuation deadline (the agent reads it from IMDS) and moves it to EVACUATING. */
    void evacuate(InstanceRecord r, Instant deadline, String cause) {
        if (r.state() != InstanceState.RUNNING && r.state() != InstanceState.AT_RISK
                && r.state() != InstanceState.PENDING) {
            return;
        }
        ctx.compute.tag(region(r), r.instanceId(), java.util.Map.of(Tags.EVACUATE, deadline.toString()));
        if (r.state() == InstanceState.PENDING) {
            // Nothing to save yet on an instance that never started: it goes when its replacement is up.
            return;
        }
        if (ctx.records.move(r.instanceId(), InstanceState.EVACUATING, ctx.clock.instant())) {
            ctx.journal.note(r.workload(), r.instanceId(), Kind.EVACUATING, cause + ", deadline " + deadline);
        }
    }

    /** Terminates the instance in the cloud and in the store. */
    void terminate(InstanceRecord r, String why) {
        ctx.compute.terminate(region(r), r.instanceId());
        if (ctx.records.move(r.instanceId(), InstanceState.TERMINATED, ctx.clock.instant())) {
            ctx.journal.note(r.workload(), r.instanceId(), Kind.TERMINATED, why);
        }
    }

    /** Ends the workload with a status; live instances are evacuated (when asked) or terminated by the reconciler. */
    void finish(String workload, WorkloadStatus status, String why) {
        Instant now = ctx.clock.instant();
        // A job that succeeded did all of its work, whatever it last reported.
        Optional<WorkloadRecord> done = ctx.records.updateWorkload(workload, w -> w.status().isTerminal() ? w
                : w.with(status, status == WorkloadStatus.SUCCEEDED ? 1.0 : w.progress(), w.lastCheckpoint(), now));
        if (done.isPresent() && done.get().status() == status) {
            Kind kind = switch (status) {
                case SUCCEEDED -> Kind.SUCCEEDED;
                case CANCELLED -> Kind.CANCELLED;
                case FAILED, SUBMITTED, RUNNING -> Kind.FAILED;
            };
            ctx.journal.note(workload, "", kind, why);
        }
    }

    InstanceRecord current(InstanceRecord r) {
        return ctx.store.instance(r.instanceId()).orElse(r);
    }

    static String region(InstanceRecord r) {
        return r.poolKey().substring(0, r.poolKey().indexOf('/'));
    }

    static Pool pool(String poolKey) {
        String[] parts = poolKey.split("/", 3);
        return new Pool(parts[0], "", parts[1], parts[2]);
    }
}
