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
 * A move (relocation, a scheduling decision) says where from and where to, why and the saving expected; a service's
 * data at risk says when its binary log last reached S3 and how many seconds of writes since are not there.
 *
 * @param pool the pool key ({@code region/az/type}); empty when none
 * @param checkpoint a checkpoint id; empty when none
 * @param deadline by when the instance must be left, or when a limit stops the job
 * @param from where the work was: a pool key, {@code spot} or {@code on-demand}; empty when none
 * @param to where it goes, as {@code from}; empty when none
 * @param reason why, as a code the messages word ({@code cheaper-pool}, {@code deadline}, {@code policy},
 *               {@code ship-behind}, …); empty when none
 * @param savingPerHour the saving per hour a move is expected to bring (the price it leaves less the one it takes)
 * @param lastShipped when a service's binary log last reached S3 (its agent's last shipping step that succeeded)
 * @param unshipped how long before the event writes may have gone unshipped (from {@code lastShipped})
 * @param changeAt when an AWS Health scheduled change (a retirement, a maintenance) of the instance starts
 * @param desired a fleet's desired replicas (its capacity news)
 * @param healthy how many of a fleet's replicas serve healthy
 */
public record EventFields(String pool, Optional<Double> pricePerHour, Optional<Double> onDemandPricePerHour,
                          Optional<Boolean> spot, Optional<Double> costSoFar, Optional<Long> bytes,
                          Optional<Duration> duration, String checkpoint, Optional<Instant> deadline,
                          String from, String to, String reason, Optional<Double> savingPerHour,
                          Optional<Instant> lastShipped, Optional<Duration> unshipped, Optional<Instant> changeAt,
                          Optional<Integer> desired, Optional<Integer> healthy) {
    public static final EventFields NONE = new EventFields("", Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), "", Optional.empty());

    /** The fields of an instance, a checkpoint and a deadline, without a move's, a backup's or a fleet's. */
    public EventFields(String pool, Optional<Double> pricePerHour, Optional<Double> onDemandPricePerHour,
                       Optional<Boolean> spot, Optional<Double> costSoFar, Optional<Long> bytes,
                       Optional<Duration> duration, String checkpoint, Optional<Instant> deadline) {
        this(pool, pricePerHour, onDemandPricePerHour, spot, costSoFar, bytes, duration, checkpoint, deadline, "", "",
                "", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

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
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(savingPerHour, "savingPerHour is null");
        requireNonNull(lastShipped, "lastShipped is null");
        requireNonNull(unshipped, "unshipped is null");
        requireNonNull(changeAt, "changeAt is null");
        requireNonNull(desired, "desired is null");
        requireNonNull(healthy, "healthy is null");
    }

    public EventFields withInstance(String poolKey, double price, boolean onSpot) {
        return new EventFields(poolKey, Optional.of(price), onDemandPricePerHour, Optional.of(onSpot), costSoFar, bytes,
                duration, checkpoint, deadline, from, to, reason, savingPerHour, lastShipped, unshipped, changeAt,
                desired, healthy);
    }

    public EventFields withOnDemandPrice(double price) {
        return new EventFields(pool, pricePerHour, Optional.of(price), spot, costSoFar, bytes, duration, checkpoint,
                deadline, from, to, reason, savingPerHour, lastShipped, unshipped, changeAt,
                desired, healthy);
    }

    public EventFields withCostSoFar(double dollars) {
        return new EventFields(pool, pricePerHour, onDemandPricePerHour, spot, Optional.of(dollars), bytes, duration,
                checkpoint, deadline, from, to, reason, savingPerHour, lastShipped, unshipped, changeAt,
                desired, healthy);
    }

    public EventFields withCheckpoint(String id, Optional<Long> size, Optional<Duration> took) {
        return new EventFields(pool, pricePerHour, onDemandPricePerHour, spot, costSoFar, size, took, id, deadline,
                from, to, reason, savingPerHour, lastShipped, unshipped, changeAt,
                desired, healthy);
    }

    public EventFields withDeadline(Instant at) {
        return new EventFields(pool, pricePerHour, onDemandPricePerHour, spot, costSoFar, bytes, duration, checkpoint,
                Optional.of(at), from, to, reason, savingPerHour, lastShipped, unshipped, changeAt,
                desired, healthy);
    }

    /** A move: from where to where, and why (a reason code). */
    public EventFields withMove(String fromWhere, String toWhere, String why) {
        return new EventFields(pool, pricePerHour, onDemandPricePerHour, spot, costSoFar, bytes, duration, checkpoint,
                deadline, fromWhere, toWhere, why, savingPerHour, lastShipped, unshipped, changeAt,
                desired, healthy);
    }

    public EventFields withSavingPerHour(double dollars) {
        return new EventFields(pool, pricePerHour, onDemandPricePerHour, spot, costSoFar, bytes, duration, checkpoint,
                deadline, from, to, reason, Optional.of(dollars), lastShipped, unshipped, changeAt,
                desired, healthy);
    }

    /** What a service's backup leaves at risk: why (a reason code), its last ship, the time not shipped since. */
    public EventFields withDataAtRisk(String why, Optional<Instant> shipped, Optional<Duration> notShipped) {
        return new EventFields(pool, pricePerHour, onDemandPricePerHour, spot, costSoFar, bytes, duration, checkpoint,
                deadline, from, to, why, savingPerHour, shipped, notShipped, changeAt, desired, healthy);
    }

    /** When the AWS Health scheduled change that puts the instance at risk starts. */
    public EventFields withChangeAt(Instant at) {
        return new EventFields(pool, pricePerHour, onDemandPricePerHour, spot, costSoFar, bytes, duration, checkpoint,
                deadline, from, to, reason, savingPerHour, lastShipped, unshipped, Optional.of(at),
                desired, healthy);
    }

    /** The pool the event is about ({@code region/az/type}). */
    public EventFields withPool(String poolKey) {
        return new EventFields(poolKey, pricePerHour, onDemandPricePerHour, spot, costSoFar, bytes, duration,
                checkpoint, deadline, from, to, reason, savingPerHour, lastShipped, unshipped, changeAt, desired,
                healthy);
    }

    /** A fleet's capacity: {@code healthyNow} of {@code desiredNow} replicas serve. */
    public EventFields withCapacity(int desiredNow, int healthyNow) {
        return new EventFields(pool, pricePerHour, onDemandPricePerHour, spot, costSoFar, bytes, duration, checkpoint,
                deadline, from, to, reason, savingPerHour, lastShipped, unshipped, changeAt, Optional.of(desiredNow),
                Optional.of(healthyNow));
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
        if (!from.isEmpty()) {
            m.put("from", from);
        }
        if (!to.isEmpty()) {
            m.put("to", to);
        }
        if (!reason.isEmpty()) {
            m.put("reason", reason);
        }
        savingPerHour.ifPresent(v -> m.put("savingPerHour", v));
        lastShipped.ifPresent(v -> m.put("lastShipped", v.toString()));
        unshipped.ifPresent(v -> m.put("unshippedMillis", v.toMillis()));
        changeAt.ifPresent(v -> m.put("changeAt", v.toString()));
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
                Optional.ofNullable((String) m.get("deadline")).map(Instant::parse), str(m, "from"), str(m, "to"),
                str(m, "reason"), number(m, "savingPerHour"),
                Optional.ofNullable((String) m.get("lastShipped")).map(Instant::parse),
                number(m, "unshippedMillis").map(v -> Duration.ofMillis(v.longValue())),
                Optional.ofNullable((String) m.get("changeAt")).map(Instant::parse),
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
