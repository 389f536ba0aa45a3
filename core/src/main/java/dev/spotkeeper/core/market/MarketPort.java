package dev.spotkeeper.core.market;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the controller reads the market it places and bills on: live signals behind a cache (AWS, or the
 * emulator through the same adapters), or a fixed snapshot. Calls are cheap: an implementation refreshes in the
 * background or on age, never on every call, and says when what it gives is a stated fallback rather than live.
 */
@FunctionalInterface
public interface MarketPort {
    /** The market as known now. */
    MarketSnapshot current();

    /** How old {@link #current()} is, by its snapshot's time. */
    default Duration age(Clock clock) {
        Duration d = Duration.between(current().time(), clock.instant());
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** Why {@link #current()} is not live market data (the shipped snapshot in place of signals that failed). */
    default Optional<String> fallback() {
        return Optional.empty();
    }

    /** A market that never changes (tests, a market file). */
    static MarketPort fixed(MarketSnapshot snapshot) {
        requireNonNull(snapshot, "snapshot is null");
        return () -> snapshot;
    }
}
