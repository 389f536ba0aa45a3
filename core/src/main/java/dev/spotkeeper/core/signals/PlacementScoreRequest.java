package dev.spotkeeper.core.signals;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.TreeSet;

/**
 * A {@code GetSpotPlacementScores} request by instance types. Types and regions are kept sorted and
 * distinct, so two requests for the same thing are equal (the cache key) whatever order they were given in.
 *
 * @param targetCapacity instances wanted (target capacity in units)
 * @param singleAvailabilityZone true for one score per AZ, false for one per region
 */
public record PlacementScoreRequest(List<String> instanceTypes, List<String> regions, int targetCapacity,
        boolean singleAvailabilityZone) {

    /** AWS scores a request with fewer types as always low, so spotkeeper never sends one. */
    public static final int MIN_TYPES = 3;

    public PlacementScoreRequest {
        requireNonNull(instanceTypes, "instanceTypes is null");
        requireNonNull(regions, "regions is null");
        instanceTypes = List.copyOf(new TreeSet<>(instanceTypes));
        regions = List.copyOf(new TreeSet<>(regions));
        if (instanceTypes.size() < MIN_TYPES) {
            throw new IllegalArgumentException("a placement score request needs at least " + MIN_TYPES
                    + " instance types, got " + instanceTypes);
        }
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("a placement score request needs at least one region");
        }
        if (targetCapacity < 1) {
            throw new IllegalArgumentException("target capacity must be at least 1, was " + targetCapacity);
        }
    }

    /** What the score answered, in words; stored with each pool's score so it can be explained later. */
    public String describe() {
        return "GetSpotPlacementScores " + String.join("+", instanceTypes) + ", " + targetCapacity
                + (targetCapacity == 1 ? " instance" : " instances")
                + (singleAvailabilityZone ? ", single AZ" : ", whole region");
    }
}
