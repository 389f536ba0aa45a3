package dev.spotkeeper.notify;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One notification, already in the workload's language: what every sink formats in its own way (Block Kit, JSON,
 * an SNS message).
 *
 * @param id stable for one outbox event (or one group of them): {@code <workload>-<sequence>}, the same on every
 *     retry and redelivery
 * @param event the event's name as {@code notify.on} writes it ({@code warning}, {@code on-demand}, …), or
 *     {@code test} for {@code spotkeeper notify test}
 * @param title one line: the event and the workload
 * @param facts label and value pairs, in order: workload, event, instance, pool, cost so far, …
 * @param next what happens next
 * @param detail the controller's own words about the event (in English)
 * @param count how many events this message stands for (more than 1 for a group's summary)
 */
public record Message(String id, String workload, String event, String instanceId, String pool,
                      Optional<Double> costSoFar, Instant time, String language, String title, List<Fact> facts,
                      String next, String detail, int count) {
    /** A labelled value. */
    public record Fact(String label, String value) {
        public Fact {
            requireNonNull(label, "label is null");
            requireNonNull(value, "value is null");
        }
    }

    public Message {
        requireNonNull(id, "id is null");
        requireNonNull(workload, "workload is null");
        requireNonNull(event, "event is null");
        requireNonNull(instanceId, "instanceId is null");
        requireNonNull(pool, "pool is null");
        requireNonNull(costSoFar, "costSoFar is null");
        requireNonNull(time, "time is null");
        requireNonNull(language, "language is null");
        requireNonNull(title, "title is null");
        facts = List.copyOf(facts);
        requireNonNull(next, "next is null");
        requireNonNull(detail, "detail is null");
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, was " + count);
        }
    }

    /** The whole message as plain text: the title, each fact on its line, what happens next, the detail. */
    public String plainText() {
        StringBuilder sb = new StringBuilder(title);
        for (Fact f : facts) {
            sb.append('\n').append(f.label()).append(": ").append(f.value());
        }
        if (!next.isEmpty()) {
            sb.append('\n').append(next);
        }
        if (!detail.isEmpty()) {
            sb.append('\n').append(detail);
        }
        return sb.toString();
    }
}
