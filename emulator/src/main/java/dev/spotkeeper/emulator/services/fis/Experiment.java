package dev.spotkeeper.emulator.services.fis;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One experiment's mutable state; every access holds the experiment's lock. */
final class Experiment {
    static final Set<String> FINAL = Set.of("completed", "stopped", "failed", "cancelled");

    /** Status of one action of the experiment. */
    static final class ActionState {
        String status = "pending";
        String reason = "Initial state";
        Instant startTime;
        Instant endTime;
        List<String> instanceIds = List.of();
    }

    final String id;
    final ExperimentTemplate template;
    final Map<String, String> tags;
    final Instant creationTime;
    final Map<String, ActionState> actions = new LinkedHashMap<>();
    final Map<String, List<String>> resolvedTargets = new LinkedHashMap<>();
    String status = "initiating";
    String reason = "Experiment is initiating.";
    Instant startTime;
    Instant endTime;

    Experiment(String id, ExperimentTemplate template, Map<String, String> tags, Instant creationTime) {
        this.id = id;
        this.template = template;
        this.tags = Map.copyOf(tags);
        this.creationTime = creationTime;
        template.actions().keySet().forEach(name -> actions.put(name, new ActionState()));
    }

    synchronized boolean isFinal() {
        return FINAL.contains(status);
    }

    synchronized void finish(String newStatus, String newReason, Instant now) {
        if (FINAL.contains(status)) {
            return;
        }
        status = newStatus;
        reason = newReason;
        endTime = now;
        for (ActionState action : actions.values()) {
            if (!FINAL.contains(action.status)) {
                action.status = switch (newStatus) {
                    case "completed" -> "completed";
                    case "stopped" -> "stopped";
                    default -> "cancelled";
                };
                action.reason = newReason;
                if (action.startTime != null) {
                    action.endTime = now;
                }
            }
        }
    }
}
