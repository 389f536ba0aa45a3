package dev.spotkeeper.core.event;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the dedup keys of handled events for a while (EventBridge retries and SQS redeliveries come within
 * minutes; the event queue keeps messages 300 s), so a duplicate is recognised and dropped. The controller also
 * persists processed keys in its store; this is the in-process first line.
 */
public final class EventDeduplicator {
    private final Clock clock;
    private final Duration retention;
    private final Map<String, Instant> seen = new LinkedHashMap<>();

    public EventDeduplicator(Clock clock, Duration retention) {
        this.clock = requireNonNull(clock, "clock is null");
        this.retention = requireNonNull(retention, "retention is null");
    }

    /** True the first time this event's key is seen within the retention; false for a duplicate. */
    public synchronized boolean firstTime(SpotEvent event) {
        Instant now = clock.instant();
        expire(now);
        return seen.putIfAbsent(event.dedupKey(), now) == null;
    }

    public synchronized int size() {
        return seen.size();
    }

    private void expire(Instant now) {
        Instant cutoff = now.minus(retention);
        Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue().isBefore(cutoff)) {
                it.remove();
            } else {
                return;
            }
        }
    }
}
