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

    /**
     * Time the workload has had an instance so far, restarts included: the union of its instances' lives, so that
     * two instances at once (a replacement preparing while the old one evacuates, a hand-over from on-demand) count
     * once, as only one of them runs the job.
     */
    static Duration computeSpent(List<InstanceRecord> history, Instant now) {
        List<Instant[]> lives = new java.util.ArrayList<>();
        for (InstanceRecord r : history) {
            Instant end = r.state().isTerminal() ? r.updatedAt() : now;
            if (end.isAfter(r.launchedAt())) {
                lives.add(new Instant[] {r.launchedAt(), end});
            }
        }
        lives.sort(java.util.Comparator.comparing((Instant[] l) -> l[0]));
        Duration spent = Duration.ZERO;
        Instant covered = Instant.MIN;
        for (Instant[] l : lives) {
            Instant from = l[0].isAfter(covered) ? l[0] : covered;
            if (l[1].isAfter(from)) {
                spent = spent.plus(Duration.between(from, l[1]));
                covered = l[1];
            }
        }
        return spent;
    }
}
