package dev.spotkeeper.testkit.cloud;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.core.cloud.QueueMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link EventQueuePort} in memory. Received messages stay in flight until deleted; {@link #redeliverInFlight}
 * puts them back as an expired SQS visibility timeout would (at-least-once delivery). Failure mode: unavailable.
 * {@code receive} never blocks: tests drive time themselves.
 */
public final class InMemoryEventQueue implements EventQueuePort {
    private final Deque<String> visible = new ArrayDeque<>();
    private final Map<String, String> inFlight = new HashMap<>();
    private final List<String> deleted = new ArrayList<>();
    private int nextReceipt = 1;
    private boolean broken;

    public synchronized void setBroken(boolean broken) {
        this.broken = broken;
    }

    @Override
    public synchronized List<QueueMessage> receive(int max, Duration wait) {
        check();
        List<QueueMessage> out = new ArrayList<>();
        while (out.size() < max && !visible.isEmpty()) {
            String body = visible.pollFirst();
            String receipt = "r-" + nextReceipt++;
            inFlight.put(receipt, body);
            out.add(new QueueMessage(body, receipt));
        }
        return out;
    }

    @Override
    public synchronized void delete(QueueMessage message) {
        check();
        String body = inFlight.remove(message.receipt());
        if (body != null) {
            deleted.add(body);
        }
    }

    @Override
    public synchronized void send(String body) {
        check();
        visible.addLast(body);
    }

    /** Makes every received-but-not-deleted message visible again. */
    public synchronized void redeliverInFlight() {
        visible.addAll(inFlight.values());
        inFlight.clear();
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
