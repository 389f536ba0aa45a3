package dev.spotkeeper.core.cloud;

import java.time.Duration;
import java.util.List;

/** The events queue (SQS): EventBridge deliveries and agent reports. At-least-once, unordered. */
public interface EventQueuePort {
    /** Up to {@code max} messages, waiting at most {@code wait} for the first (long polling). */
    List<QueueMessage> receive(int max, Duration wait);

    void delete(QueueMessage message);

    void send(String body);
}
