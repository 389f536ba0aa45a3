package dev.spotkeeper.core.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One event of the controller's outbox: written to the store with the pass that caused it, then read by each sink
 * (the journal, {@code events.log}, later notifications) from its own cursor, so a slow or dead sink never holds a
 * pass up and an event a crashed controller never delivered is still delivered by the next one.
 *
 * @param sequence its place in the outbox, given by the store when it is appended (0 before)
 * @param kind the controller's event kind, by name
 * @param fields what the event says in typed form ({@link EventFields#NONE} when nothing, as in events stored before)
 */
public record OutboxEvent(long sequence, Instant time, String workload, String instanceId, String kind,
                          String message, EventFields fields) {
    public OutboxEvent {
        requireNonNull(time, "time is null");
        requireNonNull(workload, "workload is null");
        requireNonNull(instanceId, "instanceId is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(message, "message is null");
        requireNonNull(fields, "fields is null");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
        }
    }

    /** An event without typed fields. */
    public OutboxEvent(long sequence, Instant time, String workload, String instanceId, String kind, String message) {
        this(sequence, time, workload, instanceId, kind, message, EventFields.NONE);
    }

    public OutboxEvent withSequence(long s) {
        return new OutboxEvent(s, time, workload, instanceId, kind, message, fields);
    }
}
