package dev.spotkeeper.controller.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.controller.ControllerEvent;
import java.util.List;

/**
 * What a {@link KindReconciler} decided from one snapshot: actions to apply in order, events to record with them,
 * and whether the executor should plan again once they are applied ({@code false}: the pass is done with the
 * workload, as after its first launch or a limit).
 */
public record Plan(List<Action> actions, List<Note> events, boolean again) {
    /** An event the plan itself decided (the actions record theirs as they happen). */
    public record Note(String instanceId, ControllerEvent.Kind kind, String message) {
        public Note {
            requireNonNull(instanceId, "instanceId is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(message, "message is null");
        }
    }

    public static final Plan NOTHING = new Plan(List.of(), List.of(), false);

    public Plan {
        actions = List.copyOf(actions);
        events = List.copyOf(events);
    }

    public boolean isEmpty() {
        return actions.isEmpty() && events.isEmpty();
    }
}
