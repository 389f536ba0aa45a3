package dev.spotkeeper.core.signals;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps each placement-score answer for a while, keyed by the request. AWS throttles new score
 * configurations per 24 hours and scores move slowly, so asking again within minutes only burns quota.
 * Failures are not kept: the next call tries again. With a file, separate processes (two CLI runs) share the
 * cache.
 */
public final class CachingPlacementScoreSource implements PlacementScoreSource {
    /** The shortest time an answer is kept; AWS's guidance is to not ask more often than this. */
    public static final Duration MIN_TTL = Duration.ofMinutes(10);

    private final PlacementScoreSource delegate;
    private final Clock clock;
    private final Duration ttl;
    private final Path file;
    private final Map<PlacementScoreRequest, CachedScores> cache = new HashMap<>();
    private final AtomicInteger hits = new AtomicInteger();
    private boolean loaded;

    private CachingPlacementScoreSource(PlacementScoreSource delegate, Clock clock, Duration ttl, Path file) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.ttl = requireNonNull(ttl, "ttl is null");
        this.file = file;
        if (ttl.compareTo(MIN_TTL) < 0) {
            throw new IllegalArgumentException("placement scores must be kept at least " + MIN_TTL.toMinutes()
                    + " minutes, was " + ttl);
        }
    }

    public CachingPlacementScoreSource(PlacementScoreSource delegate, Clock clock, Duration ttl) {
        this(delegate, clock, ttl, null);
    }

    public CachingPlacementScoreSource(PlacementScoreSource delegate, Clock clock) {
        this(delegate, clock, MIN_TTL, null);
    }

    /** A cache that is also kept in {@code file} (read on first use, rewritten after each answer from AWS). */
    public static CachingPlacementScoreSource persistent(PlacementScoreSource delegate, Clock clock, Path file) {
        return new CachingPlacementScoreSource(delegate, clock, MIN_TTL, requireNonNull(file, "file is null"));
    }

    /** How many requests were answered from the cache. */
    public int hits() {
        return hits.get();
    }

    @Override
    public synchronized List<PlacementScore> scores(PlacementScoreRequest request) {
        loadOnce();
        Instant now = clock.instant();
        CachedScores cached = cache.get(request);
        if (cached != null && !now.isBefore(cached.fetched()) && now.isBefore(cached.fetched().plus(ttl))) {
            hits.incrementAndGet();
            return cached.scores();
        }
        List<PlacementScore> fresh = List.copyOf(delegate.scores(request));
        cache.put(request, new CachedScores(fresh, now));
        store(now);
        return fresh;
    }

    private void loadOnce() {
        if (!loaded && file != null) {
            cache.putAll(ScoreCacheFile.load(file));
        }
        loaded = true;
    }

    private void store(Instant now) {
        cache.values().removeIf(e -> !now.isBefore(e.fetched().plus(ttl)));
        if (file == null) {
            return;
        }
        try {
            ScoreCacheFile.save(file, cache);
        } catch (IOException e) {
            // The scores were fetched; failing to keep them only costs a later call.
        }
    }
}
