package dev.spotkeeper.sim;

import static java.util.Objects.requireNonNull;

/**
 * One policy on one window.
 *
 * @param cost          dollars: instance time (spot at the tick's price, on-demand) plus egress; a missed deadline
 *                      also pays for finishing on on-demand after it
 * @param missed        the work was not done by the deadline
 * @param migrations    starts in a different place (zone, or on-demand region) than the previous instance
 * @param preemptions   spot instances lost because spot became unavailable in their zone
 * @param refusedLaunches spot launches asked for where spot could not be had (they cost time, not money)
 * @param onDemandRegions the regions on-demand ran in, in the order first used, joined by {@code +}; empty if none
 * @param timeline      per tick what was held: {@link #NONE}, a zone index, {@code zones + region} for on-demand,
 *                      or {@link #DONE}; null when not recorded
 */
public record RunResult(String policy, int startTick, double cost, boolean missed, int migrations, int preemptions,
                        int refusedLaunches, double spotHours, double onDemandHours, double finishHours,
                        String onDemandRegions, int[] timeline) {
    public static final int NONE = -1;
    public static final int DONE = -2;

    public RunResult {
        requireNonNull(policy, "policy is null");
        requireNonNull(onDemandRegions, "onDemandRegions is null");
    }
}
