package dev.spotkeeper.sim;

import dev.spotkeeper.core.SpotkeeperException;
import java.util.Locale;

/**
 * The job of benchmark B2: {@code workHours} of compute that survives preemption, due {@code deadlineHours}
 * after it starts; every instance start costs {@code restartOverheadHours} of billed time without progress; the
 * checkpoint of {@code checkpointGb} moves with the job across regions.
 */
public record JobSpec(double workHours, double deadlineHours, double restartOverheadHours, double checkpointGb) {
    /** The job of "Can't Be Late" and SkyNomad used by both shipped scenarios. */
    public static final JobSpec B2 = new JobSpec(39.9389, 1.5 * 39.9389, 0.2, 50);

    public JobSpec {
        if (!(workHours > 0) || !(restartOverheadHours >= 0) || !(checkpointGb >= 0) || !(deadlineHours > 0)) {
            throw SpotkeeperException.invalidArgument(String.format(Locale.ROOT,
                    "job needs work > 0, deadline > 0, restart overhead >= 0 and checkpoint >= 0 (got work %s h, "
                            + "deadline %s h, overhead %s h, checkpoint %s GB)",
                    workHours, deadlineHours, restartOverheadHours, checkpointGb));
        }
        if (deadlineHours < workHours + restartOverheadHours) {
            throw SpotkeeperException.invalidArgument(String.format(Locale.ROOT,
                    "the deadline (%.4f h) is shorter than the work (%.4f h) plus one restart overhead (%.4f h): "
                            + "no policy can finish; lengthen the deadline or shrink the work",
                    deadlineHours, workHours, restartOverheadHours));
        }
    }
}
