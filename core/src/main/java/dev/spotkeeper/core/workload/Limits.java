package dev.spotkeeper.core.workload;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * What a workload may use; each is empty when not set.
 *
 * @param maxDuration how long the work may run, counted from its start
 * @param budget dollars the workload may spend
 * @param deadline time from submission by which the work must finish
 */
public record Limits(Optional<Duration> maxDuration, Optional<Double> budget, Optional<Duration> deadline) {
    public static final Limits NONE = new Limits(Optional.empty(), Optional.empty(), Optional.empty());

    public Limits {
        requireNonNull(maxDuration, "maxDuration is null");
        requireNonNull(budget, "budget is null");
        requireNonNull(deadline, "deadline is null");
    }
}
