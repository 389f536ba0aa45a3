package dev.spotkeeper.cli.job;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.controller.ControllerEvent.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What became of one interruption that {@code spotkeeper chaos} started at {@code started} on {@code victim}, as
 * the controller's events tell it: the warning reached the controller (or, without one, the instance was seen
 * terminated), a replacement was requested, and the replacement restored. Pure: the same events, the same answer.
 */
record Interruption(int number, String victim, String pool, Instant started, boolean warned, List<ControllerEvent> events) {
    private static final Pattern RESTORED = Pattern.compile("restored (\\S+)");

    Interruption {
        requireNonNull(victim, "victim is null");
        requireNonNull(pool, "pool is null");
        requireNonNull(started, "started is null");
        events = List.copyOf(events);
    }

    /** The same interruption with what is known now. */
    Interruption with(List<ControllerEvent> now) {
        return new Interruption(number, victim, pool, started, warned, now);
    }

    private Optional<ControllerEvent> first(Kind kind, String instance) {
        return events.stream().filter(e -> e.kind() == kind && e.instanceId().equals(instance)
                && !e.time().isBefore(started)).findFirst();
    }

    /** The warning at the controller, or (with no warning) the victim seen terminated. */
    Optional<ControllerEvent> hit() {
        return warned ? first(Kind.AT_RISK, victim) : first(Kind.TERMINATED, victim);
    }

    /** The launch of the instance that takes the victim's work over. */
    Optional<ControllerEvent> replacement() {
        return events.stream().filter(e -> e.kind() == Kind.LAUNCHED && !e.instanceId().equals(victim)
                && !e.time().isBefore(started)).findFirst();
    }

    Optional<ControllerEvent> restored() {
        return replacement().flatMap(r -> first(Kind.RESTORED, r.instanceId()));
    }

    /** The checkpoint the replacement restored; empty for a fresh start or before it restored. */
    Optional<String> restoredCheckpoint() {
        return restored().map(e -> RESTORED.matcher(e.message())).filter(Matcher::find).map(m -> m.group(1));
    }

    /** The replacement started the job afresh: there was no checkpoint to restore. */
    boolean freshStart() {
        return restored().map(e -> e.message().startsWith("fresh start")).orElse(false);
    }

    /** How the workload ended after the interruption began, if it did. */
    Optional<ControllerEvent> ended() {
        return events.stream().filter(e -> !e.time().isBefore(started) && (e.kind() == Kind.SUCCEEDED
                || e.kind() == Kind.FAILED || e.kind() == Kind.CANCELLED)).findFirst();
    }

    /** Handled: a replacement restored, or the job finished on its own meanwhile. */
    boolean handled() {
        return restored().isPresent() || ended().filter(e -> e.kind() == Kind.SUCCEEDED).isPresent();
    }

    /** Seconds from the start of the interruption to an event, as "+1.2 s". */
    String since(ControllerEvent e) {
        return String.format(Locale.ROOT, "+%.1f s", Duration.between(started, e.time()).toMillis() / 1000.0);
    }

    /**
     * The common part of the report line: instance, pool, warning → replacement requested → restored, with what
     * is not known (yet) said so.
     */
    String line() {
        StringBuilder s = new StringBuilder();
        s.append("interruption ").append(number).append(": ").append(victim).append(" (").append(pool).append("): ");
        s.append(warned ? "warning " : "terminated ").append(hit().map(this::since).orElse("not seen"));
        s.append(" → replacement ").append(replacement().map(r -> r.instanceId() + " requested " + since(r))
                .orElse("not requested"));
        s.append(" → restored ").append(restored().map(r -> since(r) + restoredCheckpoint().map(c -> " (" + c + ")")
                .orElse(freshStart() ? " (fresh start)" : "")).orElse("not yet"));
        return s.toString();
    }
}
