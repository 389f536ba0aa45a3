package dev.spotkeeper.core.cloud;

import static java.util.Objects.requireNonNull;

/** One message received from a queue; {@code receipt} deletes it. */
public record QueueMessage(String body, String receipt) {
    public QueueMessage {
        requireNonNull(body, "body is null");
        requireNonNull(receipt, "receipt is null");
    }
}
