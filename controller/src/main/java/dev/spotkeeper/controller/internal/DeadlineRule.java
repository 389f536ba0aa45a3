package dev.spotkeeper.controller.internal;

import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Spot or on-demand for the next launch: switch to on-demand when the time left before the deadline is less than
 * the work left plus two restart overheads — the slack rule of "Can't Be Late" (Wu et al., NSDI 2024) in its
 * simplest form. Work left is estimated from the compute time spent so far and the progress the job reports;
 * without a progress report there is no estimate and spot is kept until the slack is nearly gone.
 */
final class DeadlineRule {
    private DeadlineRule() {
    }

    static boolean needsOnDemand(WorkloadSpec spec, WorkloadRecord w, List<InstanceRecord> history, Instant now,
                                 Duration restartOverhead) {
        if (spec.deadline().isEmpty()) {
            return false;
        }
        Duration left = Duration.between(now, w.submittedAt().plus(spec.deadline().get()));
        Duration margin = restartOverhead.multipliedBy(2);
        double p = w.progress();
        if (p <= 0 || p >= 1) {
            return left.compareTo(margin) < 0;
        }
        Duration spent = computeSpent(history, now);
        // Compute time includes restarts, so this overestimates work left: the safe side of a deadline.
        Duration workLeft = Duration.ofMillis((long) (spent.toMillis() * (1 - p) / p));
        return left.compareTo(workLeft.plus(margin)) < 0;
    }

    /** Instance time the workload has had so far, restarts included. */
    static Duration computeSpent(List<InstanceRecord> history, Instant now) {
        Duration spent = Duration.ZERO;
        for (InstanceRecord r : history) {
            Instant end = r.state().isTerminal() ? r.updatedAt() : now;
            if (end.isAfter(r.launchedAt())) {
                spent = spent.plus(Duration.between(r.launchedAt(), end));
            }
        }
        return spent;
    }
}
