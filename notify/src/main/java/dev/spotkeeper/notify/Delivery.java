package dev.spotkeeper.notify;

import static java.util.Objects.requireNonNull;

/**
 * What a sink answered.
 *
 * @param delivered the receiver accepted the message
 * @param retryable when not delivered: whether the same message may succeed later (a timeout, a 5xx, a 429), or
 *     never will (a 4xx other than those, a channel that does not exist)
 * @param detail what the receiver said, for a log or {@code notify test}: a status and a short reason, never a URL
 *     path or a token
 */
public record Delivery(boolean delivered, boolean retryable, String detail) {
    public Delivery {
        requireNonNull(detail, "detail is null");
    }

    public static Delivery ok(String detail) {
        return new Delivery(true, false, detail);
    }

    public static Delivery retry(String detail) {
        return new Delivery(false, true, detail);
    }

    public static Delivery refused(String detail) {
        return new Delivery(false, false, detail);
    }
}
