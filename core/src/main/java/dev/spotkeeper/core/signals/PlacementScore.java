package dev.spotkeeper.core.signals;

import static java.util.Objects.requireNonNull;

/**
 * One Spot Placement Score: how likely (1–10) the request it answered would be fulfilled in a region, or in
 * one AZ of it when the request asked for single-AZ scores.
 *
 * @param azId the AZ id the score is for, empty for a regional score
 */
public record PlacementScore(String region, String azId, int score) {
    public PlacementScore {
        requireNonNull(region, "region is null");
        requireNonNull(azId, "azId is null");
        if (score < 1 || score > 10) {
            throw new IllegalArgumentException("a placement score is 1..10, was " + score);
        }
    }
}
