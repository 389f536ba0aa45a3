package dev.spotkeeper.core.signals;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/** A placement-score answer and when AWS gave it. */
record CachedScores(List<PlacementScore> scores, Instant fetched) {
    CachedScores {
        scores = List.copyOf(requireNonNull(scores, "scores is null"));
        requireNonNull(fetched, "fetched is null");
    }
}
