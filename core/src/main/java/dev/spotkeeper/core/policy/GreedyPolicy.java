package dev.spotkeeper.core.policy;

import static java.util.Objects.requireNonNull;

/**
 * Greedy as defined in "Can't Be Late" (Wu et al., NSDI '24): spot in one zone whenever it is available (asked
 * for while not known to be refused), idle otherwise, and switch to on-demand for good once waiting longer would
 * miss the deadline.
 */
public final class GreedyPolicy implements SchedulingPolicy {
    private final String zone;
    private boolean committed;

    public GreedyPolicy(String zone) {
        this.zone = requireNonNull(zone, "zone is null");
    }

    @Override
    public String name() {
        return "greedy";
    }

    @Override
    public Decision decide(Observation o) {
        if (committed || o.mustRunOnDemand()) {
            committed = true;
            return Decision.onDemand(o.homeRegion());
        }
        boolean available = o.zone(zone).map(ZoneView::mayHaveSpot).orElse(false);
        return available ? Decision.spot(zone) : Decision.NONE;
    }
}
