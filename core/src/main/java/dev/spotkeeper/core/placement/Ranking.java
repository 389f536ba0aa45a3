package dev.spotkeeper.core.placement;

import static java.util.Objects.requireNonNull;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of a placement: the best pools in order, how many pools met the requirements, and how many each
 * requirement removed (a pool is counted under the first requirement it fails).
 */
public record Ranking(
        PlacementStrategy strategy,
        List<Candidate> candidates,
        int poolsConsidered,
        int poolsMatching,
        Map<Requirement, Integer> removedBy) {

    public Ranking {
        requireNonNull(strategy, "strategy is null");
        candidates = List.copyOf(candidates);
        removedBy = Map.copyOf(removedBy.isEmpty() ? new EnumMap<>(Requirement.class) : removedBy);
    }

    public Optional<Candidate> best() {
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(0));
    }

    /** The requirement that removed the most pools, if any removed some. */
    public Optional<Requirement> mostRestrictive() {
        return removedBy.entrySet().stream()
                .max(Map.Entry.<Requirement, Integer>comparingByValue()
                        .thenComparing(Map.Entry.comparingByKey((a, b) -> b.compareTo(a))))
                .map(Map.Entry::getKey);
    }
}
