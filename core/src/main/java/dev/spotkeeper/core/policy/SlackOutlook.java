package dev.spotkeeper.core.policy;

/**
 * What the rest of a job is expected to ask of its slack. Every loss of spot costs a restart; losses over the work
 * left are counted as Poisson, so the slack the rest needs for restarts is kept with a margin of a few standard
 * deviations, and only the excess may be spent waiting. Gaps, from losing spot to holding it again (whether the job
 * waited or ran on on-demand meanwhile, which keeps asking and so sees a gap end), are learnt too: how long a wait
 * for spot typically lasts once it went.
 */
final class SlackOutlook {
    private long gapStart = -1;
    private double gapHours;
    private int gaps;

    /**
     * Follows the gaps: call once per tick with what the job holds entering it. A gap opens when spot is lost; the
     * wait for the first start is not one (nothing was lost, every zone was asked).
     */
    void track(Observation o, long step) {
        if (!(o.holding() instanceof Decision.Spot)) {
            if (gapStart < 0 && o.preempted()) {
                gapStart = step;
            }
            return;
        }
        if (gapStart >= 0) {
            gaps++;
            gapHours += Math.max(0, step - gapStart - 1) * o.tickHours();
            gapStart = -1;
        }
    }

    /** Mean hours from losing spot to holding it again, shrunk towards {@code priorHours} as one gap. */
    double meanGapHours(double priorHours) {
        return (gapHours + priorHours) / (gaps + 1);
    }

    /**
     * Slack kept for the restarts of the rest of the job: {@code hazard} losses per hour of work left, each a
     * restart where the checkpoint is, plus {@code sigmas} standard deviations.
     */
    static double reserve(Observation o, double hazard, double sigmas) {
        double losses = hazard * o.workLeftHours();
        return (losses + sigmas * Math.sqrt(losses)) * o.startHours(o.homeRegion());
    }

    /** Slack beyond the reserve: what waiting for spot may still spend. */
    static double excess(Observation o, double hazard, double sigmas) {
        return o.slackHours() - reserve(o, hazard, sigmas);
    }
}
