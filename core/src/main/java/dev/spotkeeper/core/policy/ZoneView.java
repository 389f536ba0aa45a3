package dev.spotkeeper.core.policy;

import static java.util.Objects.requireNonNull;

/**
 * One zone as a policy sees it at the current tick: the spot price (public, as {@code DescribeSpotPriceHistory}
 * gives it), what is known about spot there now, and a placement-score-like hint when the market gives one.
 *
 * @param placementScore 1–10 as AWS's Spot Placement Score (higher: spot more likely to be granted), 0 when none
 */
public record ZoneView(String zone, String region, SpotAvailability availability, double spotPrice,
                       int placementScore) {
    public ZoneView {
        requireNonNull(zone, "zone is null");
        requireNonNull(region, "region is null");
        requireNonNull(availability, "availability is null");
        if (!(spotPrice >= 0)) {
            throw new IllegalArgumentException("spotPrice must be >= 0, got " + spotPrice);
        }
        if (placementScore < 0 || placementScore > 10) {
            throw new IllegalArgumentException("placementScore must be 0 (none) or 1..10, got " + placementScore);
        }
    }

    /** A zone whose availability is known, without a hint. */
    public ZoneView(String zone, String region, boolean available, double spotPrice) {
        this(zone, region, available ? SpotAvailability.AVAILABLE : SpotAvailability.UNAVAILABLE, spotPrice, 0);
    }

    /** True when spot is known to be obtainable here now. */
    public boolean available() {
        return availability == SpotAvailability.AVAILABLE;
    }

    /** True unless spot is known not to be obtainable here now: a launch attempt here is worth asking. */
    public boolean mayHaveSpot() {
        return availability != SpotAvailability.UNAVAILABLE;
    }
}
