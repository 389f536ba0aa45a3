package dev.spotkeeper.core.event;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Where an event says it comes from: the EventBridge envelope's {@code source}, {@code account}, {@code region} and
 * {@code resources} (empty strings and an empty list when absent). Anyone can put a message on the queue, so the
 * controller checks these against the instance before it believes the event.
 */
public record Envelope(String source, String account, String region, List<String> resources) {
    public Envelope {
        requireNonNull(source, "source is null");
        requireNonNull(account, "account is null");
        requireNonNull(region, "region is null");
        resources = List.copyOf(resources);
    }

    /** An envelope that says nothing, for events built in code. */
    public static Envelope unknown(String source) {
        return new Envelope(source, "", "", List.of());
    }
}
