package dev.spotkeeper.core.signals;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.market.MarketPort;
import dev.spotkeeper.core.market.MarketSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The market as live signals give it, kept for a while: a {@link MarketPort} over a refresh (the
 * {@link SignalsRefresher} and its sources) that refreshes when what it holds is older than the TTL. When live
 * signals cannot be had it says so once, one line naming the fallback and why, and serves the fallback snapshot
 * (with {@link #fallback()} giving the reason) until a refresh succeeds again, which it also says once.
 *
 * <p>A pass is never held for long: a refresh runs on a thread of its own and {@link #current()} waits for it at
 * most {@code maxWait} when no live snapshot is usable (the first refresh), at most a second when one is; a slower
 * refresh finishes in the background and the pass after it uses what it got, while this pass gets what was there
 * (the stale live snapshot, else the fallback). A refresh that failed is tried again
 * after {@code retryAfter}, not on every call.
 */
public final class LiveMarket implements MarketPort {
    private final Function<RefreshRequest, RefreshResult> refresh;
    private final Supplier<RefreshRequest> request;
    private final Supplier<MarketSnapshot> fallbackSnapshot;
    private final String fallbackName;
    private final Settings settings;
    private final Clock clock;
    private final Consumer<String> warnings;

    private MarketSnapshot live;
    private Instant liveAt;
    private String failure;
    private MarketSnapshot fallback;
    private Instant nextAttempt = Instant.MIN;
    private CompletableFuture<RefreshResult> running;
    private boolean warnedFallback;

    /**
     * How long a live snapshot is kept, how long a call may wait for a refresh, and when a failed one is retried.
     */
    public record Settings(Duration ttl, Duration maxWait, Duration retryAfter) {
        public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

        public Settings {
            requireNonNull(ttl, "ttl is null");
            requireNonNull(maxWait, "maxWait is null");
            requireNonNull(retryAfter, "retryAfter is null");
            if (ttl.isNegative() || maxWait.isNegative() || retryAfter.isNegative()) {
                throw new IllegalArgumentException("market durations must not be negative");
            }
        }

        /** Five minutes' TTL, at most 15 s of waiting, a failed refresh tried again after a minute. */
        public static Settings defaults() {
            return new Settings(DEFAULT_TTL, Duration.ofSeconds(15), Duration.ofMinutes(1));
        }

        public Settings withTtl(Duration value) {
            return new Settings(value, maxWait, retryAfter);
        }

        public Settings withMaxWait(Duration value) {
            return new Settings(ttl, value, retryAfter);
        }

        public Settings withRetryAfter(Duration value) {
            return new Settings(ttl, maxWait, value);
        }
    }

    /**
     * @param refresh one refresh of the live signals (a {@link SignalsRefresher#refresh})
     * @param request what to refresh, asked at each refresh (regions and types may change)
     * @param fallbackSnapshot the snapshot served when live signals cannot be had, read only then
     * @param fallbackName the fallback as people know it, for the warning ("the shipped SpotLake snapshot of …")
     * @param warnings where the one-line warnings go
     */
    public LiveMarket(Function<RefreshRequest, RefreshResult> refresh, Supplier<RefreshRequest> request,
                      Supplier<MarketSnapshot> fallbackSnapshot, String fallbackName, Settings settings, Clock clock,
                      Consumer<String> warnings) {
        this.refresh = requireNonNull(refresh, "refresh is null");
        this.request = requireNonNull(request, "request is null");
        this.fallbackSnapshot = requireNonNull(fallbackSnapshot, "fallbackSnapshot is null");
        this.fallbackName = requireNonNull(fallbackName, "fallbackName is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.warnings = requireNonNull(warnings, "warnings is null");
    }

    /**
     * How long a call waits for a refresh while the last live snapshot is still usable: a slow refresh (a loaded
     * machine, a throttled API) must not hold every pass for the whole wait when prices minutes old will do.
     */
    static final Duration USABLE_WAIT = Duration.ofSeconds(1);

    @Override
    public MarketSnapshot current() {
        CompletableFuture<RefreshResult> waitFor;
        Duration wait;
        synchronized (this) {
            Instant now = clock.instant();
            if (live != null && failure == null && now.isBefore(liveAt.plus(settings.ttl()))) {
                return live;
            }
            if (running == null && !now.isBefore(nextAttempt)) {
                running = start();
            }
            waitFor = running;
            wait = liveStillUsable() && settings.maxWait().compareTo(USABLE_WAIT) > 0 ? USABLE_WAIT : settings.maxWait();
        }
        if (waitFor != null) {
            await(waitFor, wait);
        }
        synchronized (this) {
            if (running != null && running.isDone()) {
                apply(running);
                running = null;
            }
            return served();
        }
    }

    @Override
    public synchronized Optional<String> fallback() {
        return failure == null || liveStillUsable() ? Optional.empty() : Optional.of(fallbackName + ": " + failure);
    }

    /**
     * A live snapshot stays in use when a later refresh fails, until it is three TTLs old: a short outage of the
     * signals does not throw away prices that are minutes old for ones that are years old.
     */
    private boolean liveStillUsable() {
        if (live == null) {
            return false;
        }
        return clock.instant().isBefore(liveAt.plus(settings.ttl().multipliedBy(3)));
    }

    private CompletableFuture<RefreshResult> start() {
        RefreshRequest asked = request.get();
        CompletableFuture<RefreshResult> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(refresh.apply(asked));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        }, "market-refresh");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private void await(CompletableFuture<RefreshResult> f, Duration wait) {
        try {
            f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // What it ended with is read below; a refresh still running is used by a later call.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void apply(CompletableFuture<RefreshResult> done) {
        Instant now = clock.instant();
        RefreshResult result;
        try {
            result = done.join();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            failed(now, cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
            return;
        }
        if (result.market().isEmpty()) {
            failed(now, result.mainFailure().map(SourceFailure::describe).orElse("no pool could be priced"));
            return;
        }
        live = result.market().get();
        liveAt = now;
        nextAttempt = Instant.MIN;
        if (failure != null && warnedFallback) {
            warnings.accept("live market signals are back (" + live.source() + "); placing on them again");
            warnedFallback = false;
        }
        failure = null;
    }

    private void failed(Instant now, String why) {
        failure = why;
        nextAttempt = now.plus(settings.retryAfter());
    }

    /** What a call gets now; the warning is said when the fallback is first served, once until live returns. */
    private MarketSnapshot served() {
        if (live != null && (failure == null || liveStillUsable())) {
            return live;
        }
        if (failure == null) {
            // Nothing yet and the first refresh still runs: say why the fallback is served meanwhile.
            failure = "no answer within " + settings.maxWait().toSeconds() + " s";
            nextAttempt = clock.instant();
        }
        if (fallback == null) {
            fallback = fallbackSnapshot.get();
        }
        if (!warnedFallback) {
            warnings.accept("warning: live market signals unavailable (" + failure + "); placing and billing on "
                    + fallbackName + " until they return");
            warnedFallback = true;
        }
        return fallback;
    }
}
