package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.JobRun;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A workload's budget and max duration. The max duration counts from when the job first ran (a slow boot or setup
 * uses none of it) and keeps before its end only what the last checkpoint needs, from the uploads the agent
 * reported; the budget counts the current submission's spend, the final evacuation's share included.
 */
final class Limits {
    /** The least a limit keeps for the last checkpoint, whatever the uploads took so far. */
    static final Duration MIN_MARGIN = Duration.ofSeconds(30);

    private final Context ctx;
    private final Moves moves;
    private final Billing billing;

    Limits(Context ctx, Moves moves, Billing billing) {
        this.ctx = ctx;
        this.moves = moves;
        this.billing = billing;
    }

    /**
     * Budget and max duration: when one is reached, the agent is asked for a checkpoint (by the end of the max
     * duration, or within the evacuation window for the budget) and the workload fails with the reason.
     */
    boolean reached(WorkloadRecord w, WorkloadSpec spec, Instant now) {
        String why = null;
        Instant deadline = now.plus(ctx.config.evacuationWindow());
        if (spec.maxDuration().isPresent() && w.run().startedAt().isPresent()) {
            Instant started = w.run().startedAt().get();
            Instant end = started.plus(spec.maxDuration().get());
            Duration margin = checkpointMargin(w.run());
            if (!now.isBefore(end.minus(margin))) {
                why = "max duration " + spec.maxDuration().get() + " reached (counted from the job's start at " + started
                        + ", it ends at " + end + "; " + margin.toSeconds() + " s kept for the last checkpoint)";
                deadline = end.isAfter(now.plus(MIN_MARGIN)) ? end : now.plus(MIN_MARGIN);
            }
        }
        if (why == null && spec.budget().isPresent()) {
            List<InstanceRecord> all = ctx.store.instances(w.name()).stream().filter(w::isCurrent).toList();
            double spent = billing.spent(w, all, now);
            double hoursToStop = (ctx.config.evacuationWindow().plus(ctx.config.evacuationGrace())).toMillis() / 3_600_000.0;
            double atStop = spent + Billing.burnRate(all) * hoursToStop;
            if (atStop >= spec.budget().get()) {
                why = String.format(java.util.Locale.ROOT, "budget $%.2f would be passed ($%.4f spent, $%.4f by the"
                        + " time a checkpoint is committed)", spec.budget().get(), spent, atStop);
            }
        }
        if (why == null) {
            return false;
        }
        ctx.journal.note(w.name(), "", Kind.LIMIT_REACHED, why + ": checkpointing and stopping");
        moves.finish(w.name(), WorkloadStatus.FAILED, why);
        for (InstanceRecord r : CloudSync.live(ctx.store.instances(w.name()))) {
            if (r.state() == InstanceState.RUNNING || r.state() == InstanceState.AT_RISK) {
                moves.evacuate(r, deadline, "stopping for a limit");
            }
        }
        return true;
    }

    /**
     * What a limit keeps before its end for the last checkpoint: twice the longest upload the agent reported plus the
     * agent's own 5 s margin, at least {@link #MIN_MARGIN} and at most the evacuation window (AWS's two minutes).
     */
    private Duration checkpointMargin(JobRun run) {
        Duration needed = Duration.ofMillis((long) (run.longestUploadSeconds() * 2_000)).plusSeconds(5);
        Duration atMost = ctx.config.evacuationWindow();
        return needed.compareTo(MIN_MARGIN) < 0 ? MIN_MARGIN : needed.compareTo(atMost) > 0 ? atMost : needed;
    }
}
