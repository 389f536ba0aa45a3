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
 * every kind shares: for a job, the seconds of work lost. A kind the controller comes to run (a service's
 * downtime, a fleet's missing capacity) adds its own here.
 */
interface InterruptionFigures {
    List<String> figures(Interruption interruption);

    static InterruptionFigures of(WorkloadKind kind) {
        return switch (kind) {
            case JOB -> InterruptionFigures::workLost;
            case SERVICE, FLEET -> interruption -> List.of();
        };
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
