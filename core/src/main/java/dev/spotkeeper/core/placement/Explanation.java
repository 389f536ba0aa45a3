package dev.spotkeeper.core.placement;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** Why a pool got its score: the score in [0, 1] (higher is better) and every term that made it. */
public record Explanation(String strategy, double score, List<ScoreTerm> terms) {
    public Explanation {
        requireNonNull(strategy, "strategy is null");
        terms = List.copyOf(terms);
    }
}
