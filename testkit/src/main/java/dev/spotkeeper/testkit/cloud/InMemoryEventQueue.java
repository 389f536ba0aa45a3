package dev.spotkeeper.testkit.cloud;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.core.cloud.QueueMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link EventQueuePort} in memory. Received messages stay in flight until deleted; {@link #redeliverInFlight}
 * puts them back as an expired SQS visibility timeout would (at-least-once delivery), and with a clock and a
 * visibility timeout they come back on their own. Failure mode: unavailable. {@code receive} never blocks: tests
 * drive time themselves.
 */
public final class InMemoryEventQueue implements EventQueuePort {
    private record InFlight(String body, Instant receivedAt) {
    }

    private final Deque<String> visible = new ArrayDeque<>();
    private final Map<String, InFlight> inFlight = new LinkedHashMap<>();
    private final Clock clock;
    private final Duration visibilityTimeout;
    private final List<String> deleted = new ArrayList<>();
    private int nextReceipt = 1;
    private boolean broken;

    /** Messages come back only through {@link #redeliverInFlight}. */
    public InMemoryEventQueue() {
        this(Clock.systemUTC(), null);
    }

    /** Messages received but not deleted come back {@code visibilityTimeout} after the receive, as in SQS. */
    public InMemoryEventQueue(Clock clock, Duration visibilityTimeout) {
        this.clock = clock;
        this.visibilityTimeout = visibilityTimeout;
    }

    public synchronized void setBroken(boolean broken) {
        this.broken = broken;
    }

    @Override
    public synchronized List<QueueMessage> receive(int max, Duration wait) {
        check();
        expireVisibility();
        List<QueueMessage> out = new ArrayList<>();
        while (out.size() < max && !visible.isEmpty()) {
            String body = visible.pollFirst();
            String receipt = "r-" + nextReceipt++;
            inFlight.put(receipt, new InFlight(body, clock.instant()));
            out.add(new QueueMessage(body, receipt));
        }
        return out;
    }

    @Override
    public synchronized void delete(QueueMessage message) {
        check();
        InFlight m = inFlight.remove(message.receipt());
        if (m != null) {
            deleted.add(m.body());
        }
    }

    @Override
    public synchronized void send(String body) {
        check();
        visible.addLast(body);
    }

    /** Makes every received-but-not-deleted message visible again. */
    public synchronized void redeliverInFlight() {
        inFlight.values().forEach(m -> visible.add(m.body()));
        inFlight.clear();
    }

    private void expireVisibility() {
        if (visibilityTimeout == null) {
            return;
        }
        Instant cutoff = clock.instant().minus(visibilityTimeout);
        Iterator<InFlight> it = inFlight.values().iterator();
        while (it.hasNext()) {
            InFlight m = it.next();
            if (!m.receivedAt().isAfter(cutoff)) {
                visible.add(m.body());
                it.remove();
            }
        }
    }

    public synchronized int visibleCount() {
        return visible.size();
    }

    public synchronized int inFlightCount() {
        return inFlight.size();
    }

    public synchronized List<String> deleted() {
        return List.copyOf(deleted);
    }

    private void check() {
        if (broken) {
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "event queue unavailable (failure mode)");
        }
    }
}
