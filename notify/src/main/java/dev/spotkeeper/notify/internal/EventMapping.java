package dev.spotkeeper.notify.internal;

import dev.spotkeeper.core.store.EventFields;
import dev.spotkeeper.core.workload.NotifyEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which {@link NotifyEvent} an outbox event is, by the controller's event kind (and, where one kind covers two
 * events, its typed fields — a SCHEDULED or RELOCATING that goes to or comes back from on-demand — or its words: an
 * AT_RISK caused by a rebalance recommendation, and a move stored before its fields were). Kinds nobody is told about (checkpoints, progress, ignored cloud events) map to none.
 */
public final class EventMapping {
    private static final Pattern EVACUATE_BY = Pattern.compile("evacuate by (\\S+)");
    private static final Pattern STOPS_AT = Pattern.compile("stops at ([0-9][^\\s,;)]*)");

    /** The {@code to} (and {@code from}) of a move to on-demand capacity. */
    static final String ON_DEMAND = "on-demand";

    /** Per workload: whether its last scheduling decision was on-demand, to tell the way back to spot. */
    private final Map<String, Boolean> onDemand = new ConcurrentHashMap<>();

    public Optional<NotifyEvent> map(String workload, String kind, String message) {
        return map(workload, kind, message, EventFields.NONE);
    }

    /**
     * As {@link #map(String, String, String)}, reading a move's typed fields ({@code from}, {@code to}) first: a
     * RELOCATING to on-demand, a SCHEDULED into or out of on-demand. Only an event stored without them (before they
     * were written) is read from its words.
     */
    public Optional<NotifyEvent> map(String workload, String kind, String message, EventFields fields) {
        if (!fields.to().isEmpty() && (kind.equals("RELOCATING") || kind.equals("SCHEDULED"))) {
            boolean now = fields.to().equals(ON_DEMAND);
            if (kind.equals("RELOCATING")) {
                return Optional.of(now ? NotifyEvent.ON_DEMAND : NotifyEvent.RELOCATED);
            }
            onDemand.put(workload, now);
            return now != fields.from().equals(ON_DEMAND) ? Optional.of(NotifyEvent.ON_DEMAND) : Optional.empty();
        }
        return Optional.ofNullable(switch (kind) {
            case "LAUNCHED" -> NotifyEvent.LAUNCHED;
            case "RUNNING" -> NotifyEvent.RUNNING;
            case "AT_RISK" -> message.startsWith("rebalance") ? NotifyEvent.REBALANCE : NotifyEvent.WARNING;
            case "EVACUATING" -> NotifyEvent.EVACUATING;
            case "EVACUATED" -> NotifyEvent.EVACUATED;
            case "RESTORED" -> NotifyEvent.RESTORED;
            case "RELOCATING" -> message.contains("on-demand") ? NotifyEvent.ON_DEMAND : NotifyEvent.RELOCATED;
            case "SCHEDULED" -> scheduled(workload, message);
            case "LIMIT_NEAR", "LIMIT_REACHED" -> NotifyEvent.LIMIT;
            case "SUCCEEDED" -> NotifyEvent.COMPLETED;
            case "FAILED" -> NotifyEvent.FAILED;
            case "CANCELLED" -> NotifyEvent.CANCELLED;
            case "PRIMARY_MOVED" -> NotifyEvent.PRIMARY_MOVED;
            case "DATA_AT_RISK" -> NotifyEvent.DATA_AT_RISK;
            case "CAPACITY_LOW" -> NotifyEvent.CAPACITY_LOW;
            case "CAPACITY_RESTORED" -> NotifyEvent.CAPACITY_RESTORED;
            default -> null;
        });
    }

    private NotifyEvent scheduled(String workload, String message) {
        boolean now = message.startsWith("on-demand");
        Boolean before = onDemand.put(workload, now);
        return now != Boolean.TRUE.equals(before) ? (now || before != null ? NotifyEvent.ON_DEMAND : null) : null;
    }

    /**
     * The name the event is told by: its {@link NotifyEvent}'s, except a limit not reached yet, {@code limit-near}
     * (which {@code on: [limit]} asks for too).
     */
    public static String toldAs(String kind, NotifyEvent event) {
        return kind.equals("LIMIT_NEAR") ? "limit-near" : event.wireName();
    }

    /** The time left before an interruption, from a warning's "evacuate by …", or before a limit's "stops at …". */
    static Optional<Duration> timeLeft(String message, Instant at) {
        Matcher m = EVACUATE_BY.matcher(message);
        if (!m.find() && !(m = STOPS_AT.matcher(message)).find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.between(at, Instant.parse(m.group(1))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
