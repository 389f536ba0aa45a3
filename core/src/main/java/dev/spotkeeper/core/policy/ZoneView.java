package dev.spotkeeper.core.policy;

import static java.util.Objects.requireNonNull;

/** One zone as a policy sees it at the current tick: can spot be obtained there now, and at what price. */
public record ZoneView(String zone, String region, boolean available, double spotPrice) {
    public ZoneView {
        requireNonNull(zone, "zone is null");
        requireNonNull(region, "region is null");
        if (!(spotPrice >= 0)) {
            throw new IllegalArgumentException("spotPrice must be >= 0, got " + spotPrice);
        }
    }
}
