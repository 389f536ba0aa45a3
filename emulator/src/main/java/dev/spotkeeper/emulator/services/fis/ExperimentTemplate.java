package dev.spotkeeper.emulator.services.fis;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A validated experiment template as FIS stores it. */
record ExperimentTemplate(String id, String description, Map<String, Target> targets, Map<String, Action> actions,
                          List<Map<String, Object>> stopConditions, String roleArn, Map<String, String> tags,
                          Instant creationTime) {
    ExperimentTemplate {
        requireNonNull(id, "id is null");
        requireNonNull(description, "description is null");
        targets = Map.copyOf(targets);
        actions = Map.copyOf(actions);
        stopConditions = List.copyOf(stopConditions);
        requireNonNull(roleArn, "roleArn is null");
        tags = Map.copyOf(tags);
        requireNonNull(creationTime, "creationTime is null");
    }

    record Filter(String path, List<String> values) {
        Filter {
            requireNonNull(path, "path is null");
            values = List.copyOf(values);
        }
    }

    record Target(String resourceType, List<String> resourceArns, Map<String, String> resourceTags,
                  List<Filter> filters, String selectionMode, Map<String, String> parameters) {
        Target {
            requireNonNull(resourceType, "resourceType is null");
            resourceArns = List.copyOf(resourceArns);
            resourceTags = Map.copyOf(resourceTags);
            filters = List.copyOf(filters);
            requireNonNull(selectionMode, "selectionMode is null");
            parameters = Map.copyOf(parameters);
        }
    }

    record Action(String actionId, String description, Map<String, String> parameters, Map<String, String> targets,
                  List<String> startAfter) {
        Action {
            requireNonNull(actionId, "actionId is null");
            requireNonNull(description, "description is null");
            parameters = Map.copyOf(parameters);
            targets = Map.copyOf(targets);
            startAfter = List.copyOf(startAfter);
        }
    }
}
