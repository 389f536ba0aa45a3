package dev.spotkeeper.emulator.cloudformation.internal;

import dev.spotkeeper.emulator.spi.StackResourceProvider.Provisioned;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The stacks, change sets, resources and events the emulator's CloudFormation keeps; guarded by their stack. */
final class Model {
    private Model() {
    }

    /** One resource of a stack as DescribeStackResources shows it. */
    static final class StackResource {
        final String logicalId;
        String type;
        Provisioned provisioned;
        Map<String, Object> properties = Map.of();
        String status;
        String reason;
        Instant timestamp;

        StackResource(String logicalId, String type) {
            this.logicalId = logicalId;
            this.type = type;
        }

        String physicalId() {
            return provisioned == null ? null : provisioned.physicalId();
        }
    }

    record Event(String eventId, String logicalId, String physicalId, String type, Instant timestamp, String status,
                 String reason) {
    }

    /** One resource change of a change set ({@code Add}, {@code Modify}, {@code Remove}). */
    record Change(String action, String logicalId, String physicalId, String type, String replacement) {
    }

    static final class ChangeSet {
        final String name;
        final String id;
        final String type;
        final Template template;
        final Map<String, String> parameters;
        final List<String> capabilities;
        final List<Change> changes;
        final Instant created;
        final String description;
        String status;
        String executionStatus;
        String reason;

        ChangeSet(String name, String id, String type, Template template, Map<String, String> parameters,
                  List<String> capabilities, List<Change> changes, Instant created, String description) {
            this.name = name;
            this.id = id;
            this.type = type;
            this.template = template;
            this.parameters = parameters;
            this.capabilities = capabilities;
            this.changes = changes;
            this.created = created;
            this.description = description;
        }
    }

    static final class Stack {
        final String name;
        final String id;
        final Instant created;
        Instant updated;
        Instant deleted;
        String status;
        String reason;
        Template template;
        Map<String, String> parameters = new LinkedHashMap<>();
        List<String> capabilities = List.of();
        Map<String, String> outputs = new LinkedHashMap<>();
        final Map<String, StackResource> resources = new LinkedHashMap<>();
        final List<Event> events = new ArrayList<>();
        final Map<String, ChangeSet> changeSets = new LinkedHashMap<>();

        Stack(String name, String id, Instant created) {
            this.name = name;
            this.id = id;
            this.created = created;
        }

        boolean inProgress() {
            return status.endsWith("_IN_PROGRESS") && !status.equals("REVIEW_IN_PROGRESS");
        }
    }
}
