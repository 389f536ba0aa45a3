package dev.spotkeeper.cli.job;

import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.workload.WorkloadKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The figures a workload kind adds to each line of {@code spotkeeper chaos}, after the instance, pool and times
 * every kind shares: for a job, the seconds of work lost; for a service, the seconds writes were refused and the
 * rows before and after. A kind the controller comes to run (a fleet's missing capacity) adds its own here.
 */
interface InterruptionFigures {
    List<String> figures(Interruption interruption);

    static InterruptionFigures of(WorkloadKind kind) {
        return of(kind, key -> Optional.empty(), prefix -> List.of());
    }

    /**
     * @param read a service's backup object by key below its {@code db/} prefix (the hand-over and take-over
     *     records), empty when there is none
     * @param list the keys below a prefix of it
     */
    static InterruptionFigures of(WorkloadKind kind, java.util.function.Function<String, Optional<String>> read,
                                  java.util.function.Function<String, List<String>> list) {
        return switch (kind) {
            case JOB -> InterruptionFigures::workLost;
            case SERVICE -> i -> service(i, read, list);
            case FLEET -> interruption -> List.of();
        };
    }

    /**
     * A service: the seconds writes were refused, from the old primary's hand-over (its {@code evacuated}: it went
     * read-only just before) to the replacement serving (its {@code restored}, sent once it verified the take-over
     * and opened); and the rows before and after, the sums of the tables' rows in the old primary's hand-over
     * record and in the replacement's take-over record in S3.
     */
    static List<String> service(Interruption i, java.util.function.Function<String, Optional<String>> read,
                                java.util.function.Function<String, List<String>> list) {
        if (i.restored().isEmpty()) {
            return List.of();
        }
        List<String> out = new java.util.ArrayList<>();
        Optional<Instant> handedOver = i.events().stream().filter(e -> e.instanceId().equals(i.victim())
                && e.kind() == Kind.EVACUATED && !e.time().isBefore(i.started())).map(ControllerEvent::time)
                .min(Comparator.naturalOrder());
        Instant serving = i.restored().get().time();
        out.add(handedOver.map(h -> String.format(Locale.ROOT, "%.1f s write-unavailable",
                Math.max(0, Duration.between(h, serving).toMillis() / 1000.0)))
                .orElse("write-unavailable not known (no hand-over: the replacement serves what S3 holds)"));
        Optional<java.util.Map<String, Object>> took = list.apply("takeover/").stream()
                .flatMap(k -> read.apply(k).stream()).flatMap(t -> parse(t).stream())
                .filter(m -> m.get("time") instanceof String t && !Instant.parse(t).isBefore(i.started()))
                .min(Comparator.comparing(m -> Instant.parse((String) m.get("time"))));
        if (took.isEmpty()) {
            out.add("rows not known (no take-over record in S3)");
            return out;
        }
        Optional<Long> before = read.apply("handover/g" + took.get().get("previous") + ".json")
                .flatMap(InterruptionFigures::parse).flatMap(InterruptionFigures::rows);
        Optional<Long> after = rows(took.get());
        out.add("rows " + before.map(String::valueOf).orElse("?") + " before → " + after.map(String::valueOf)
                .orElse("?") + " after" + (before.isPresent() && before.equals(after) ? "" : " (DIFFER)"));
        return out;
    }

    private static Optional<java.util.Map<String, Object>> parse(String text) {
        try {
            return Optional.of(dev.spotkeeper.core.json.Json.parseObject(text));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The sum of a record's {@code tables}: each {@code "rows checksum"}. */
    private static Optional<Long> rows(java.util.Map<String, Object> record) {
        if (!(record.get("tables") instanceof java.util.Map<?, ?> tables)) {
            return Optional.empty();
        }
        long sum = 0;
        for (Object v : tables.values()) {
            String[] parts = String.valueOf(v).split(" ");
            if (!parts[0].matches("\\d{1,18}")) {
                return Optional.empty();
            }
            sum += Long.parseLong(parts[0]);
        }
        return Optional.of(sum);
    }

    /**
     * A job loses the work it did after the checkpoint its replacement restored: from the moment that checkpoint
     * was committed (as the controller's event log has it) to the moment the interrupted instance stopped working
     * (its evacuation, or its end when there was none). A fresh start loses all since the job first ran.
     */
    static List<String> workLost(Interruption i) {
        if (i.restored().isEmpty()) {
            return List.of();
        }
        if (i.restoredCheckpoint().isEmpty() && !i.freshStart()) {
            return List.of("work lost not known (what the replacement restored is only in the controller's event log)");
        }
        List<ControllerEvent> events = i.events();
        Optional<Instant> stopped = events.stream().filter(e -> e.instanceId().equals(i.victim())
                && (e.kind() == Kind.EVACUATED || e.kind() == Kind.TERMINATED) && !e.time().isBefore(i.started()))
                .map(ControllerEvent::time).min(Comparator.naturalOrder());
        Optional<Instant> since = i.restoredCheckpoint()
                .map(c -> events.stream().filter(e -> (e.kind() == Kind.CHECKPOINTED || e.kind() == Kind.EVACUATED)
                        && e.message().equals("checkpoint " + c)).map(ControllerEvent::time).max(Comparator.naturalOrder()))
                .orElseGet(() -> events.stream().filter(e -> e.kind() == Kind.RUNNING || e.kind() == Kind.RESTORED)
                        .map(ControllerEvent::time).min(Comparator.naturalOrder()));
        if (stopped.isEmpty() || since.isEmpty()) {
            return List.of("work lost not known (the event log does not have "
                    + (stopped.isEmpty() ? "the interrupted instance's stop" : "the restored checkpoint's commit") + ")");
        }
        double seconds = Math.max(0, Duration.between(since.get(), stopped.get()).toMillis() / 1000.0);
        return List.of(String.format(Locale.ROOT, "%.1f s of work lost", seconds));
    }
}
