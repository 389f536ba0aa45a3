package dev.spotkeeper.core.workload;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Proactive relocation: every {@code every}, move when the best pool is cheaper than the current one by at least
 * {@code minGain} (a fraction: 0.15 = 15 %). {@code every} zero means never.
 */
public record RelocationSpec(Duration every, double minGain) {
    public RelocationSpec {
        requireNonNull(every, "every is null");
        if (minGain < 0 || minGain >= 1) {
            throw new IllegalArgumentException("minGain must be a fraction in [0, 1), was " + minGain);
        }
    }

    public static RelocationSpec never() {
        return new RelocationSpec(Duration.ZERO, 0.2);
    }
}
