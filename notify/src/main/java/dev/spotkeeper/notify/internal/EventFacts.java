package dev.spotkeeper.notify.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.store.EventFields;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What is known about one event when it is told: from the outbox event, the instance's record and the ledger.
 *
 * @param event the event's name ({@code warning}, …, or {@code test})
 * @param savings the fraction saved against running all on-demand, for a completed job
 * @param count how many events it stands for; {@code window} the group's window when more than one
 * @param typed the event's typed fields, for what only they carry (on-demand price, checkpoint, size, duration)
 */
public record EventFacts(String id, String workload, String event, String instanceId, String pool,
                  Optional<Double> pricePerHour, boolean spot, Optional<Double> costSoFar, Optional<Double> savings,
                  Optional<Duration> timeLeft, Instant time, String detail, int count, Duration window,
                  EventFields typed) {
    public EventFacts {
        requireNonNull(id, "id is null");
        requireNonNull(workload, "workload is null");
        requireNonNull(event, "event is null");
        requireNonNull(instanceId, "instanceId is null");
        requireNonNull(pool, "pool is null");
        requireNonNull(pricePerHour, "pricePerHour is null");
        requireNonNull(costSoFar, "costSoFar is null");
        requireNonNull(savings, "savings is null");
        requireNonNull(timeLeft, "timeLeft is null");
        requireNonNull(time, "time is null");
        requireNonNull(detail, "detail is null");
        requireNonNull(window, "window is null");
        requireNonNull(typed, "typed is null");
    }

    public EventFacts grouped(String groupId, int n, Duration w) {
        return new EventFacts(groupId, workload, event, instanceId, pool, pricePerHour, spot, costSoFar, savings,
                timeLeft, time, detail, n, w, typed);
    }
}
