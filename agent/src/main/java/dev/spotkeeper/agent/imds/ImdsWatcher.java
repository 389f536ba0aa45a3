package dev.spotkeeper.agent.imds;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.json.JsonException;
import dev.spotkeeper.core.protocol.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Polls IMDS (every second by default: AWS suggests 5 s, the node termination handler uses 2 s, and every second of
 * the two-minute window counts) for the interruption notice, the rebalance recommendation and the evacuation tag.
 */
public final class ImdsWatcher {
    /** When the tag's value is not a time, the controller still wants the state now: assume the spot window. */
    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(2);
    private static final Logger LOG = Logger.getLogger(ImdsWatcher.class.getName());

    private final ImdsClient imds;
    private final Clock clock;
    private final Consumer<InstanceSignal> listener;
    private final Set<InstanceSignal> delivered = new HashSet<>();
    private String lastTagValue;

    public ImdsWatcher(ImdsClient imds, Clock clock, Consumer<InstanceSignal> listener) {
        this.imds = requireNonNull(imds, "imds is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.listener = requireNonNull(listener, "listener is null");
    }

    /** Polls at a fixed rate until the returned future is cancelled; a failed poll is logged and retried. */
    public ScheduledFuture<?> start(ScheduledExecutorService scheduler, Duration every) {
        return scheduler.scheduleWithFixedDelay(() -> {
            try {
                poll();
            } catch (SpotkeeperException e) {
                LOG.log(Level.WARNING, "instance metadata poll failed: {0}", e.getMessage());
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round of reads; delivers each signal not delivered before. */
    public synchronized void poll() {
        imds.metadata("spot/instance-action").flatMap(ImdsWatcher::interruption).ifPresent(this::deliver);
        imds.metadata("events/recommendations/rebalance").flatMap(ImdsWatcher::rebalance).ifPresent(this::deliver);
        Optional<String> tag = imds.metadata("tags/instance/" + Tags.EVACUATE).map(String::trim).filter(s -> !s.isEmpty());
        if (tag.isPresent() && !tag.get().equals(lastTagValue)) {
            lastTagValue = tag.get();
            deliver(new InstanceSignal.EvacuateTag(deadline(tag.get())));
        }
    }

    private Instant deadline(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            LOG.log(Level.WARNING, "tag {0} is ''{1}'', not an ISO-8601 time; evacuating within {2}",
                    new Object[] {Tags.EVACUATE, value, DEFAULT_WINDOW});
            return clock.instant().plus(DEFAULT_WINDOW);
        }
    }

    private void deliver(InstanceSignal signal) {
        if (delivered.add(signal)) {
            listener.accept(signal);
        }
    }

    static Optional<InstanceSignal> interruption(String body) {
        Optional<Map<String, Object>> json = object(body);
        if (json.isEmpty() || !(json.get().get("action") instanceof String action)
                || !(json.get().get("time") instanceof String time)) {
            LOG.log(Level.WARNING, "ignoring spot/instance-action that is not '{'\"action\",\"time\"'}': {0}", body);
            return Optional.empty();
        }
        try {
            return Optional.of(new InstanceSignal.InterruptionNotice(action, Instant.parse(time)));
        } catch (DateTimeParseException e) {
            LOG.log(Level.WARNING, "ignoring spot/instance-action with a bad time: {0}", body);
            return Optional.empty();
        }
    }

    static Optional<InstanceSignal> rebalance(String body) {
        Optional<Map<String, Object>> json = object(body);
        if (json.isPresent() && json.get().get("noticeTime") instanceof String t) {
            try {
                return Optional.of(new InstanceSignal.RebalanceNotice(Instant.parse(t)));
            } catch (DateTimeParseException e) {
                // fall through to the warning
            }
        }
        LOG.log(Level.WARNING, "ignoring a rebalance recommendation without a noticeTime: {0}", body);
        return Optional.empty();
    }

    private static Optional<Map<String, Object>> object(String body) {
        try {
            return Optional.of(Json.parseObject(body));
        } catch (JsonException e) {
            return Optional.empty();
        }
    }
}
