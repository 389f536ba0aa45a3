package dev.spotkeeper.core.policy;

import static java.util.Objects.requireNonNull;

/** What a scheduling policy wants to hold for the next tick: nothing, a spot instance in a zone, or on-demand. */
public sealed interface Decision {
    /** The one "hold nothing" value. */
    None NONE = new None();

    /** Hold no instance: costs nothing, makes no progress. */
    record None() implements Decision {
    }

    /** Hold a spot instance in {@code zone} (an availability-zone name such as {@code us-east-2b}). */
    record Spot(String zone) implements Decision {
        public Spot {
            requireNonNull(zone, "zone is null");
        }
    }

    /** Hold an on-demand instance in {@code region}; on-demand is assumed always obtainable. */
    record OnDemand(String region) implements Decision {
        public OnDemand {
            requireNonNull(region, "region is null");
        }
    }

    static Decision spot(String zone) {
        return new Spot(zone);
    }

    static Decision onDemand(String region) {
        return new OnDemand(region);
    }

    /** A short label for tables and charts: {@code -}, the zone, or {@code OD:region}. */
    default String label() {
        if (this instanceof Spot s) {
            return s.zone();
        }
        if (this instanceof OnDemand d) {
            return "OD:" + d.region();
        }
        return "-";
    }
}
