package dev.spotkeeper.emulator.market;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A change in one pool. {@code poolKey} is {@code region/azName/instanceType}.
 *
 * @param price the pool's spot price after the change (USD per hour)
 */
public record MarketEvent(Instant time, String poolKey, Kind kind, double price) {
    public enum Kind {
        /** The pool can no longer hold spot instances: its running ones are interrupted. */
        CAPACITY_LOST,
        /** Spot launches succeed in the pool again. */
        CAPACITY_RESTORED,
        /** The spot price moved; instances whose max price is now below it are interrupted. */
        PRICE_CHANGED
    }

    public MarketEvent {
        requireNonNull(time, "time is null");
        requireNonNull(poolKey, "poolKey is null");
        requireNonNull(kind, "kind is null");
    }
}
