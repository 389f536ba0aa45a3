package dev.spotkeeper.core.signals;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps each placement-score answer for a while, keyed by the request. AWS throttles new score
 * configurations per 24 hours and scores move slowly, so asking again within minutes only burns quota.
 * Failures are not kept: the next call tries again.
 */
public final class CachingPlacementScoreSource implements PlacementScoreSource {
    /** The shortest time an answer is kept; AWS's guidance is to not ask more often than this. */
    public static final Duration MIN_TTL = Duration.ofMinutes(10);

    private record Entry(List<PlacementScore> scores, Instant fetched) {
    }

    private final PlacementScoreSource delegate;
    private final Clock clock;
    private final Duration ttl;
    private final Map<PlacementScoreRequest, Entry> cache = new ConcurrentHashMap<>();

    public CachingPlacementScoreSource(PlacementScoreSource delegate, Clock clock, Duration ttl) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.ttl = requireNonNull(ttl, "ttl is null");
        if (ttl.compareTo(MIN_TTL) < 0) {
            throw new IllegalArgumentException("placement scores must be kept at least " + MIN_TTL.toMinutes()
                    + " minutes, was " + ttl);
        }
    }

    public CachingPlacementScoreSource(PlacementScoreSource delegate, Clock clock) {
        this(delegate, clock, MIN_TTL);
    }

    @Override
    public List<PlacementScore> scores(PlacementScoreRequest request) {
        Instant now = clock.instant();
        Entry cached = cache.get(request);
        if (cached != null && now.isBefore(cached.fetched().plus(ttl))) {
            return cached.scores();
        }
        List<PlacementScore> fresh = List.copyOf(delegate.scores(request));
        cache.put(request, new Entry(fresh, now));
        return fresh;
    }
}
