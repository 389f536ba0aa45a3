package dev.spotkeeper.core.signals;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What a refresh fetches: the pools of these types in these regions, or, with {@code everyType}, of every type
 * priced there (as a controller that places any type meeting a workload's requirements needs them).
 *
 * @param instanceTypes the types to price, or with {@code everyType} the types to ask placement scores for
 *        (pricing every type is one paged call per region; scoring every type would spend the score quota)
 * @param everyType price every type the region lists, not only {@code instanceTypes}
 * @param targetCapacity instances the placement scores are asked for (default 1)
 * @param maxTypesPerScoreRequest how many types one placement-score request may carry (at least 3); fewer
 *        types per request make the score more specific to each type, more requests use more of the quota
 */
public record RefreshRequest(List<String> regions, List<String> instanceTypes, int targetCapacity,
        int maxTypesPerScoreRequest, boolean everyType) {

    public static final int DEFAULT_MAX_TYPES_PER_SCORE_REQUEST = 5;

    public RefreshRequest {
        regions = distinct(requireNonNull(regions, "regions is null"));
        instanceTypes = distinct(requireNonNull(instanceTypes, "instanceTypes is null"));
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("a refresh needs at least one region");
        }
        if (instanceTypes.isEmpty() && !everyType) {
            throw new IllegalArgumentException("a refresh needs at least one instance type");
        }
        if (targetCapacity < 1) {
            throw new IllegalArgumentException("target capacity must be at least 1, was " + targetCapacity);
        }
        if (maxTypesPerScoreRequest < PlacementScoreRequest.MIN_TYPES) {
            throw new IllegalArgumentException("a placement-score request carries at least "
                    + PlacementScoreRequest.MIN_TYPES + " types, max was " + maxTypesPerScoreRequest);
        }
    }

    public RefreshRequest(List<String> regions, List<String> instanceTypes, int targetCapacity,
            int maxTypesPerScoreRequest) {
        this(regions, instanceTypes, targetCapacity, maxTypesPerScoreRequest, false);
    }

    public RefreshRequest(List<String> regions, List<String> instanceTypes) {
        this(regions, instanceTypes, 1, DEFAULT_MAX_TYPES_PER_SCORE_REQUEST);
    }

    /** Every type priced in the regions; placement scores for {@code scoredTypes} only. */
    public static RefreshRequest everyType(List<String> regions, List<String> scoredTypes) {
        return new RefreshRequest(regions, scoredTypes, 1, DEFAULT_MAX_TYPES_PER_SCORE_REQUEST, true);
    }

    private static List<String> distinct(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : new LinkedHashSet<>(values)) {
            if (!v.isBlank()) {
                out.add(v.trim());
            }
        }
        return List.copyOf(new LinkedHashSet<>(out));
    }
}
