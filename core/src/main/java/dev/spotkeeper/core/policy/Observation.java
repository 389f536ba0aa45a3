package dev.spotkeeper.core.policy;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a policy may know at one tick: the market now as far as it can be seen, the job's progress and time
 * left, what it holds, where its checkpoint is, and what moving costs. Nothing about the future.
 *
 * @param tick              ticks since the job started (0 at the first decision)
 * @param tickHours         length of one tick; decisions hold for one tick
 * @param zones             every zone the job may use, with its spot price and what is known of spot there now
 * @param onDemandPrices    dollars per hour of the on-demand instance in each region the job may use
 * @param holding           what the job holds entering this tick ({@link Decision#NONE} after a preemption)
 * @param preempted         true when the spot instance held until now was reclaimed at this tick
 * @param overheadLeftHours restart overhead still to pay before {@code holding} makes progress (0 when warm)
 * @param checkpointRegion  where the latest checkpoint lives; empty before the first instance finished starting
 * @param workDoneHours     progress so far
 * @param workLeftHours     work still to do
 * @param timeLeftHours     hours until the deadline
 * @param moves             cost of starting an instance away from the checkpoint
 * @param attempt           0 at a tick's first question; n when asked again after n refused launches this tick
 *                          (the refused zones are then {@link SpotAvailability#UNAVAILABLE})
 * @param launchLatencyHours time a refused spot launch costs before anything else can start; 0 where availability
 *                          is shown and no launch is refused
 * @param handOver          true when leaving a running on-demand instance keeps it running, making progress, until
 *                          the new instance has started (a make-before-break hand-over): a spot launch from
 *                          on-demand then costs no slack, and spot lost while starting leaves the job on on-demand
 */
public record Observation(int tick, double tickHours, List<ZoneView> zones, Map<String, Double> onDemandPrices,
                          Decision holding, boolean preempted, double overheadLeftHours,
                          Optional<String> checkpointRegion, double workDoneHours, double workLeftHours,
                          double timeLeftHours, MoveCosts moves, int attempt, double launchLatencyHours,
                          boolean handOver) {
    public Observation {
        requireNonNull(zones, "zones is null");
        requireNonNull(onDemandPrices, "onDemandPrices is null");
        requireNonNull(holding, "holding is null");
        requireNonNull(checkpointRegion, "checkpointRegion is null");
        requireNonNull(moves, "moves is null");
        zones = List.copyOf(zones);
        // Kept in the caller's order so that ties between regions break the same way every run.
        onDemandPrices = Collections.unmodifiableMap(new LinkedHashMap<>(onDemandPrices));
        if (zones.isEmpty()) {
            throw new IllegalArgumentException("zones is empty");
        }
        if (!(tickHours > 0)) {
            throw new IllegalArgumentException("tickHours must be > 0, got " + tickHours);
        }
        for (ZoneView z : zones) {
            Double price = onDemandPrices.get(z.region());
            if (price == null || !(price > 0)) {
                throw new IllegalArgumentException("no on-demand price > 0 for region " + z.region());
            }
        }
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0, got " + attempt);
        }
        if (!(launchLatencyHours >= 0)) {
            throw new IllegalArgumentException("launchLatencyHours must be >= 0, got " + launchLatencyHours);
        }
    }

    /** Where a move from on-demand releases it before the new instance starts (no hand-over). */
    public Observation(int tick, double tickHours, List<ZoneView> zones, Map<String, Double> onDemandPrices,
                       Decision holding, boolean preempted, double overheadLeftHours,
                       Optional<String> checkpointRegion, double workDoneHours, double workLeftHours,
                       double timeLeftHours, MoveCosts moves, int attempt, double launchLatencyHours) {
        this(tick, tickHours, zones, onDemandPrices, holding, preempted, overheadLeftHours, checkpointRegion,
                workDoneHours, workLeftHours, timeLeftHours, moves, attempt, launchLatencyHours, false);
    }

    /** One on-demand price for every region of the zones, asked once per tick, no launch ever refused. */
    public Observation(int tick, double tickHours, List<ZoneView> zones, double onDemandPrice, Decision holding,
                       boolean preempted, double overheadLeftHours, Optional<String> checkpointRegion,
                       double workDoneHours, double workLeftHours, double timeLeftHours, MoveCosts moves) {
        this(tick, tickHours, zones, samePrice(zones, onDemandPrice), holding, preempted, overheadLeftHours,
                checkpointRegion, workDoneHours, workLeftHours, timeLeftHours, moves, 0, 0, false);
    }

    private static Map<String, Double> samePrice(List<ZoneView> zones, double price) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (ZoneView z : requireNonNull(zones, "zones is null")) {
            out.put(z.region(), price);
        }
        return out;
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

    /** Dollars per hour of on-demand in {@code region}. */
    public double onDemandPrice(String region) {
        Double price = onDemandPrices.get(region);
        if (price == null) {
            throw new IllegalArgumentException("region " + region + " is not offered; offered: " + onDemandPrices.keySet());
        }
        return price;
    }

    /** Dollars per hour of on-demand in {@link #homeRegion()}. */
    public double onDemandPrice() {
        return onDemandPrice(homeRegion());
    }

    /**
     * The region an on-demand instance should use: where the checkpoint is, else (nothing to move yet) the region
     * with the cheapest on-demand price, the first zone's region on a tie.
     */
    public String homeRegion() {
        if (checkpointRegion.isPresent()) {
            return checkpointRegion.get();
        }
        String best = zones.get(0).region();
        for (ZoneView z : zones) {
            if (onDemandPrices.get(z.region()) < onDemandPrices.get(best)) {
                best = z.region();
            }
        }
        return best;
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

    /** Slack if the next spot launch were refused: a start could begin only a launch latency later. */
    public double slackAfterRefusalHours() {
        if (holding instanceof Decision.OnDemand || launchLatencyHours == 0) {
            return slackHours();
        }
        String home = homeRegion();
        return timeLeftHours - workLeftHours
                - moves.startOverheadHours(checkpointRegion.orElse(null), home, launchLatencyHours);
    }

    /**
     * True when waiting one more tick could make the deadline unreachable even with on-demand, or, holding
     * nothing, when one refused spot launch could: a policy that asks for spot then could no longer catch up.
     */
    public boolean mustRunOnDemand() {
        double floor = tickHours * 0.5;
        if (slackHours() < floor) {
            return true;
        }
        return holding instanceof Decision.None && slackAfterRefusalHours() < floor;
    }
}
