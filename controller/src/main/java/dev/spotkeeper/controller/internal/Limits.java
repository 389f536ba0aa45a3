package dev.spotkeeper.controller.internal;

import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.JobRun;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A workload's budget and max duration. The max duration counts from when the job first ran (a slow boot or setup
 * uses none of it) and keeps before its end only what the last checkpoint needs, from the uploads the agent
 * reported; the budget counts the current submission's spend, the final evacuation's share included.
 */
final class Limits {
    /** The least a limit keeps for the last checkpoint, whatever the uploads took so far. */
    static final Duration MIN_MARGIN = Duration.ofSeconds(30);

    private final Context ctx;
    private final Billing billing;

    Limits(Context ctx, Billing billing) {
        this.ctx = ctx;
        this.billing = billing;
    }

    /** A limit reached: why, and by when the last checkpoint must be committed. */
    record Reached(String why, Instant deadline) {
    }

    /**
     * Budget and max duration, from what the snapshot holds: when one is reached, the job reconciler asks the agent
     * for a checkpoint (by the end of the max duration, or within the evacuation window for the budget) and fails the
     * workload with the reason.
     */
    Optional<Reached> check(WorkloadRecord w, WorkloadSpec spec, List<InstanceRecord> instances, Instant now) {
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
            List<InstanceRecord> all = instances.stream().filter(w::isCurrent).toList();
            double spent = billing.spent(w, all, now);
            double hoursToStop = (ctx.config.evacuationWindow().plus(ctx.config.evacuationGrace())).toMillis() / 3_600_000.0;
            double atStop = spent + Billing.burnRate(all) * hoursToStop;
            if (atStop >= spec.budget().get()) {
                why = String.format(java.util.Locale.ROOT, "budget $%.2f would be passed ($%.4f spent, $%.4f by the"
                        + " time a checkpoint is committed)", spec.budget().get(), spent, atStop);
            }
        }
        return why == null ? Optional.empty() : Optional.of(new Reached(why, deadline));
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
