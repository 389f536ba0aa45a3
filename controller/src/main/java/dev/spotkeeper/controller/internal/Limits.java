package dev.spotkeeper.controller.internal;

import dev.spotkeeper.core.store.EventFields;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.JobRun;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
    static final Duration NEAR_AT_LEAST = Duration.ofMinutes(2);
    static final Duration NEAR_AT_MOST = Duration.ofMinutes(15);

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
     * The limits the workload comes near: a notice for each, told once per limit and submission. The max duration is
     * near when the job stops (its end less what the last checkpoint needs) within a tenth of it, 2 to 15 min; the
     * budget when what is left by the time a checkpoint is committed is a tenth of it or less, or lasts 15 min or less
     * at the live instances' rate.
     */
    List<Action.Notice> approaching(WorkloadRecord w, WorkloadSpec spec, List<InstanceRecord> instances, Instant now) {
        List<Action.Notice> out = new ArrayList<>();
        if (spec.maxDuration().isPresent() && w.run().startedAt().isPresent()) {
            Duration max = spec.maxDuration().get();
            Instant stop = w.run().startedAt().get().plus(max).minus(checkpointMargin(w.run()));
            Duration left = Duration.between(now, stop);
            if (!left.isNegative() && left.compareTo(nearDuration(max)) <= 0) {
                out.add(notice(w, "max-duration", "max duration " + max + " near: " + words(left) + " left; the job"
                        + " checkpoints and stops at " + stop + " (counted from its start at "
                        + w.run().startedAt().get() + ")", EventFields.NONE.withDeadline(stop)));
            }
        }
        if (spec.budget().isPresent()) {
            double budget = spec.budget().get();
            List<InstanceRecord> all = instances.stream().filter(w::isCurrent).toList();
            double spent = billing.spent(w, all, now);
            double rate = Billing.burnRate(all);
            double hoursToStop = ctx.config.evacuationWindow().plus(ctx.config.evacuationGrace()).toMillis() / 3_600_000.0;
            double left = budget - spent - rate * hoursToStop;
            Optional<Duration> lasts = rate > 0 ? Optional.of(Duration.ofMillis((long) (Math.max(0, left) / rate
                    * 3_600_000))) : Optional.empty();
            boolean near = left <= budget / 10 || lasts.map(d -> d.compareTo(NEAR_AT_MOST) <= 0).orElse(false);
            if (left > 0 && near) {
                out.add(notice(w, "budget", String.format(java.util.Locale.ROOT, "budget $%.2f near: $%.4f left"
                        + " ($%.4f spent, at $%.4f/h)", budget, left, spent, rate)
                        + lasts.map(d -> ", about " + words(d) + "; the job checkpoints and stops at " + now.plus(d))
                        .orElse("; the job checkpoints and stops when it is spent"),
                        lasts.map(d -> EventFields.NONE.withDeadline(now.plus(d))).orElse(EventFields.NONE)
                                .withCostSoFar(spent)));
            }
        }
        return out;
    }

    /** How long before a max duration's stop it is told: a tenth of it, at least 2 and at most 15 min. */
    static Duration nearDuration(Duration max) {
        Duration tenth = max.dividedBy(10);
        return tenth.compareTo(NEAR_AT_LEAST) < 0 ? NEAR_AT_LEAST : tenth.compareTo(NEAR_AT_MOST) > 0 ? NEAR_AT_MOST
                : tenth;
    }

    private static Action.Notice notice(WorkloadRecord w, String limit, String message, EventFields fields) {
        return new Action.Notice("limit-near|" + w.name() + "|" + w.submittedAt() + "|" + limit,
                dev.spotkeeper.controller.ControllerEvent.Kind.LIMIT_NEAR, message, fields);
    }

    private static String words(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 60 ? s / 60 + " min " + s % 60 + " s" : s + " s";
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
