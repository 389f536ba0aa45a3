package dev.spotkeeper.core.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Everything a policy may know at one tick: the market now, the job's progress and time left, what it holds,
 * where its checkpoint is, and what moving costs. Nothing about the future.
 *
 * @param tick              ticks since the job started (0 at the first decision)
 * @param tickHours         length of one tick; decisions hold for one tick
 * @param zones             every zone the job may use, with availability and spot price now
 * @param onDemandPrice     dollars per hour of the on-demand instance
 * @param holding           what the job holds entering this tick ({@link Decision#NONE} after a preemption)
 * @param preempted         true when the spot instance held until now was reclaimed at this tick
 * @param overheadLeftHours restart overhead still to pay before {@code holding} makes progress (0 when warm)
 * @param checkpointRegion  where the latest checkpoint lives; empty before the first instance finished starting
 * @param workDoneHours     progress so far
 * @param workLeftHours     work still to do
 * @param timeLeftHours     hours until the deadline
 * @param moves             cost of starting an instance away from the checkpoint
 */
public record Observation(int tick, double tickHours, List<ZoneView> zones, double onDemandPrice,
                          Decision holding, boolean preempted, double overheadLeftHours,
                          Optional<String> checkpointRegion, double workDoneHours, double workLeftHours,
                          double timeLeftHours, MoveCosts moves) {
    public Observation {
        requireNonNull(zones, "zones is null");
        requireNonNull(holding, "holding is null");
        requireNonNull(checkpointRegion, "checkpointRegion is null");
        requireNonNull(moves, "moves is null");
        zones = List.copyOf(zones);
        if (zones.isEmpty()) {
            throw new IllegalArgumentException("zones is empty");
        }
        if (!(tickHours > 0)) {
            throw new IllegalArgumentException("tickHours must be > 0, got " + tickHours);
        }
    }

    /** The view of {@code zone}, or empty when the job may not use it. */
    public Optional<ZoneView> zone(String zone) {
        for (ZoneView z : zones) {
            if (z.zone().equals(zone)) {
                return Optional.of(z);
            }
        }
        return Optional.empty();
    }

    /** The region an on-demand instance should use: where the checkpoint is, else the first zone's region. */
    public String homeRegion() {
        return checkpointRegion.orElse(zones.get(0).region());
    }

    /** Hours to start an instance in {@code region} from the current checkpoint. */
    public double startHours(String region) {
        return moves.startOverheadHours(checkpointRegion.orElse(null), region);
    }

    /** Dollars of egress to start an instance in {@code region} from the current checkpoint. */
    public double egressTo(String region) {
        return moves.egressDollars(checkpointRegion.orElse(null), region);
    }

    /** Hours to finish on on-demand from now, counting a restart unless on-demand is already held. */
    public double hoursToFinishOnDemand() {
        if (holding instanceof Decision.OnDemand) {
            return workLeftHours + overheadLeftHours;
        }
        return workLeftHours + startHours(homeRegion());
    }

    /**
     * Slack: hours that may still be spent without progress before only on-demand, started now, can meet the
     * deadline. Zero or less means on-demand now.
     */
    public double slackHours() {
        return timeLeftHours - hoursToFinishOnDemand();
    }

    /** True when waiting one more tick could make the deadline unreachable even with on-demand. */
    public boolean mustRunOnDemand() {
        return slackHours() < tickHours * 0.5;
    }
}
