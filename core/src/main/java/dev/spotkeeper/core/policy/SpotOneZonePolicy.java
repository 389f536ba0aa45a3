package dev.spotkeeper.core.policy;

import static java.util.Objects.requireNonNull;

/**
 * What a single fixed launch template does: spot in one zone whenever it can be had (asking for it while it is
 * not known to be refused), nothing otherwise, and no fallback. It can miss the deadline; it is here to show what
 * the other policies buy.
 */
public final class SpotOneZonePolicy implements SchedulingPolicy {
    private final String zone;

    public SpotOneZonePolicy(String zone) {
        this.zone = requireNonNull(zone, "zone is null");
    }

    @Override
    public String name() {
        return "spot-one-zone";
    }

    @Override
    public Decision decide(Observation o) {
        boolean available = o.zone(zone).map(ZoneView::mayHaveSpot).orElse(false);
        return available ? Decision.spot(zone) : Decision.NONE;
    }
}
