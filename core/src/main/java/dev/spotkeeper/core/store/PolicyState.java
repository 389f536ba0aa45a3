package dev.spotkeeper.core.store;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a controller decided and learned about one workload that is not in its records, kept in the store so that a
 * restarted controller, or another one on the same store, decides as the one before it did:
 *
 * @param pools the pools that lately refused capacity to the workload's launches or took an instance back, by pool
 *     key, with the newest time (interruptions are also on the instance records; refusals are only here)
 * @param tick how many times the scheduling policy was asked
 * @param askedAt when it was last asked (its decision holds for one tick)
 * @param holding what the workload held when it was asked ({@code spot:<zone>}, {@code on-demand:<region>},
 *     {@code none}; empty: never asked)
 * @param asked what the policy decided then (same encoding)
 * @param merged that decision with the deadline rule applied, as last recorded
 * @param version as in {@link InstanceRecord}; 0 for a state never stored
 */
public record PolicyState(Map<String, Instant> pools, int tick, Optional<Instant> askedAt, String holding,
                          String asked, String merged, long version) {
    /** How long a pool is remembered: far past the controller's one-hour avoidance. */
    public static final Duration KEEP = Duration.ofHours(6);
    public static final PolicyState NONE = new PolicyState(Map.of(), 0, Optional.empty(), "", "", "", 0);

    public PolicyState {
        pools = Map.copyOf(pools);
        requireNonNull(askedAt, "askedAt is null");
        requireNonNull(holding, "holding is null");
        requireNonNull(asked, "asked is null");
        requireNonNull(merged, "merged is null");
        if (tick < 0) {
            throw new IllegalArgumentException("tick must be >= 0, was " + tick);
        }
    }

    /** Remembers that {@code poolKey} refused or interrupted at {@code at} (the newest time wins); forgets old ones. */
    public PolicyState withPool(String poolKey, Instant at) {
        Instant known = pools.get(poolKey);
        if (known != null && !at.isAfter(known)) {
            return this;
        }
        Map<String, Instant> next = new TreeMap<>();
        pools.forEach((k, v) -> {
            if (!v.isBefore(at.minus(KEEP))) {
                next.put(k, v);
            }
        });
        next.put(poolKey, at);
        return new PolicyState(next, tick, askedAt, holding, asked, merged, version);
    }

    public PolicyState withDecision(int ticks, Instant asking, String held, String decided, String mergedNow) {
        return new PolicyState(pools, ticks, Optional.of(asking), held, decided, mergedNow, version);
    }

    public PolicyState withVersion(long v) {
        return new PolicyState(pools, tick, askedAt, holding, asked, merged, v);
    }
}
