package dev.spotkeeper.core.placement;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.market.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pools that interrupted us recently, remembered for a while — as Karpenter keeps an "unavailable offerings"
 * cache after an interruption or an insufficient-capacity error — so that the next launch goes elsewhere.
 * Keyed by pool key; the newest interruption wins.
 */
public final class InterruptionMemory {
    private final Duration retention;
    private final Map<String, Instant> lastInterruption = new ConcurrentHashMap<>();

    public InterruptionMemory(Duration retention) {
        this.retention = requireNonNull(retention, "retention is null");
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative");
        }
    }

    /** Remembers pools for one hour. */
    public static InterruptionMemory oneHour() {
        return new InterruptionMemory(Duration.ofHours(1));
    }

    public static InterruptionMemory empty() {
        return new InterruptionMemory(Duration.ZERO);
    }

    public void recordInterruption(Pool pool, Instant at) {
        lastInterruption.merge(pool.key(), at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** How long ago the pool interrupted us, if that is within the retention. */
    public Optional<Duration> sinceLastInterruption(Pool pool, Instant now) {
        if (lastInterruption.isEmpty()) {
            return Optional.empty();
        }
        Instant at = lastInterruption.get(pool.key());
        if (at == null) {
            return Optional.empty();
        }
        Duration since = Duration.between(at, now);
        if (since.isNegative() || since.compareTo(retention) > 0) {
            return Optional.empty();
        }
        return Optional.of(since);
    }

    public Duration retention() {
        return retention;
    }
}
