package dev.spotkeeper.core.placement;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * What a strategy may use besides the signals: the time of the decision, the memory of recent interruptions
 * and the workload's restart economics.
 *
 * @param restartOverheadHours billed time with no progress on every (re)start: boot, restore, warm-up
 * @param checkpointIntervalHours work lost on an interruption is half of this on average
 * @param recentInterruptionHazardPerHour extra interruptions per hour assumed for a pool that interrupted us
 *     within the memory's retention
 * @param bandHorizonHours the running time over which a band's rate is read as the chance of an interruption.
 *     AWS computes the band as the share of instances reclaimed in the trailing month, and those instances
 *     live hours to days, not a month: reading the rate per day of running is closer to what users see.
 */
public record PlacementContext(
        Instant now,
        InterruptionMemory memory,
        double restartOverheadHours,
        double checkpointIntervalHours,
        double recentInterruptionHazardPerHour,
        double bandHorizonHours) {

    public PlacementContext {
        requireNonNull(now, "now is null");
        requireNonNull(memory, "memory is null");
        if (restartOverheadHours < 0 || checkpointIntervalHours < 0 || recentInterruptionHazardPerHour < 0
                || !(bandHorizonHours > 0)) {
            throw new IllegalArgumentException("overheads and hazards must not be negative");
        }
    }

    /**
     * 12 minutes of restart overhead (as in the Can't Be Late job model), 30-minute checkpoints, one extra
     * interruption an hour for a pool that interrupted us recently, band rates read per 24 hours of running.
     */
    public static PlacementContext defaults(Instant now, InterruptionMemory memory) {
        return new PlacementContext(now, memory, 0.2, 0.5, 1.0, 24);
    }
}
