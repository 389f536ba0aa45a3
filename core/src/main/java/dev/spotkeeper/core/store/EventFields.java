package dev.spotkeeper.core.store;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The typed facts an outbox event carries besides its words, each set only where the event has it, so that a
 * reader (notifications) never parses the controller's sentences: the pool and prices of an instance, the cost so far,
 * a checkpoint's size and how long it took, the checkpoint, and the deadline the event sets (an evacuation's, a
 * limit's stop). Stored as a small JSON object ({@link #toJson()}), empty members left out.
 *
 * @param pool the pool key ({@code region/az/type}); empty when none
 * @param checkpoint a checkpoint id; empty when none
 * @param deadline by when the instance must be left, or when a limit stops the job
 * @param desired a fleet's desired replicas (its capacity news)
 * @param healthy how many of a fleet's replicas serve healthy
 */
public record EventFields(String pool, Optional<Double> pricePerHour, Optional<Double> onDemandPricePerHour,
                          Optional<Boolean> spot, Optional<Double> costSoFar, Optional<Long> bytes,
                          Optional<Duration> duration, String checkpoint, Optional<Instant> deadline,
                          Optional<Integer> desired, Optional<Integer> healthy) {
    public static final EventFields NONE = new EventFields("", Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), "", Optional.empty(), Optional.empty(), Optional.empty());

    public EventFields {
        requireNonNull(pool, "pool is null");
        requireNonNull(pricePerHour, "pricePerHour is null");
        requireNonNull(onDemandPricePerHour, "onDemandPricePerHour is null");
        requireNonNull(spot, "spot is null");
        requireNonNull(costSoFar, "costSoFar is null");
        requireNonNull(bytes, "bytes is null");
        requireNonNull(duration, "duration is null");
        requireNonNull(checkpoint, "checkpoint is null");
        requireNonNull(deadline, "deadline is null");
        requireNonNull(desired, "desired is null");
        requireNonNull(healthy, "healthy is null");
    }

    /** The facts of an event that is no fleet's capacity news. */
    public EventFields(String pool, Optional<Double> pricePerHour, Optional<Double> onDemandPricePerHour,
                       Optional<Boolean> spot, Optional<Double> costSoFar, Optional<Long> bytes,
                       Optional<Duration> duration, String checkpoint, Optional<Instant> deadline) {
        this(pool, pricePerHour, onDemandPricePerHour, spot, costSoFar, bytes, duration, checkpoint, deadline,
                Optional.empty(), Optional.empty());
    }

    /** The pool the event is about ({@code region/az/type}). */
    public EventFields withPool(String poolKey) {
        return new EventFields(poolKey, pricePerHour, onDemandPricePerHour, spot, costSoFar, bytes, duration,
                checkpoint, deadline, desired, healthy);
    }

    /** A fleet's capacity: {@code healthyNow} of {@code desiredNow} replicas serve. */
    public EventFields withCapacity(int desiredNow, int healthyNow) {
        return new EventFields(pool, pricePerHour, onDemandPricePerHour, spot, costSoFar, bytes, duration, checkpoint,
                deadline, Optional.of(desiredNow), Optional.of(healthyNow));
    }

    public EventFields withInstance(String poolKey, double price, boolean onSpot) {
        return new EventFields(poolKey, Optional.of(price), onDemandPricePerHour, Optional.of(onSpot), costSoFar, bytes,
                duration, checkpoint, deadline, desired, healthy);
    }

    public EventFields withOnDemandPrice(double price) {
        return new EventFields(pool, pricePerHour, Optional.of(price), spot, costSoFar, bytes, duration, checkpoint,
                deadline, desired, healthy);
    }

    public EventFields withCostSoFar(double dollars) {
        return new EventFields(pool, pricePerHour, onDemandPricePerHour, spot, Optional.of(dollars), bytes, duration,
                checkpoint, deadline, desired, healthy);
    }

    public EventFields withCheckpoint(String id, Optional<Long> size, Optional<Duration> took) {
        return new EventFields(pool, pricePerHour, onDemandPricePerHour, spot, costSoFar, size, took, id, deadline,
                desired, healthy);
    }

    public EventFields withDeadline(Instant at) {
        return new EventFields(pool, pricePerHour, onDemandPricePerHour, spot, costSoFar, bytes, duration, checkpoint,
                Optional.of(at), desired, healthy);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** A JSON object of the members that are set ({@code {}} for none); {@link #parse} reads it back. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!pool.isEmpty()) {
            m.put("pool", pool);
        }
        pricePerHour.ifPresent(v -> m.put("pricePerHour", v));
        onDemandPricePerHour.ifPresent(v -> m.put("onDemandPricePerHour", v));
        spot.ifPresent(v -> m.put("spot", v));
        costSoFar.ifPresent(v -> m.put("costSoFar", v));
        bytes.ifPresent(v -> m.put("bytes", v));
        duration.ifPresent(v -> m.put("durationMillis", v.toMillis()));
        if (!checkpoint.isEmpty()) {
            m.put("checkpoint", checkpoint);
        }
        deadline.ifPresent(v -> m.put("deadline", v.toString()));
        desired.ifPresent(v -> m.put("desired", v));
        healthy.ifPresent(v -> m.put("healthy", v));
        return Json.write(m);
    }

    /** Reads {@link #toJson()}'s object; members it does not know (a newer writer's) are passed over. */
    public static EventFields parse(String json) {
        Map<String, Object> m = Json.parseObject(json);
        return new EventFields(str(m, "pool"), number(m, "pricePerHour"), number(m, "onDemandPricePerHour"),
                Optional.ofNullable((Boolean) m.get("spot")), number(m, "costSoFar"),
                number(m, "bytes").map(Double::longValue),
                number(m, "durationMillis").map(v -> Duration.ofMillis(v.longValue())), str(m, "checkpoint"),
                Optional.ofNullable((String) m.get("deadline")).map(Instant::parse),
                number(m, "desired").map(Double::intValue), number(m, "healthy").map(Double::intValue));
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : v.toString();
    }

    private static Optional<Double> number(Map<String, Object> m, String key) {
        return Optional.ofNullable((Number) m.get(key)).map(Number::doubleValue);
    }
}
