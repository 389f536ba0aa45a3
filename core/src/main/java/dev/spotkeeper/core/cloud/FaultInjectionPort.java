package dev.spotkeeper.core.cloud;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * Fault injection the way AWS Fault Injection Service runs it: an experiment template that interrupts (or
 * terminates) the instances carrying some tags, and experiments started from it. Failures are
 * {@code SpotkeeperException}s with the service's error translated; no SDK type crosses.
 */
public interface FaultInjectionPort {
    /** How an instance is taken away. */
    enum Fault {
        /** {@code aws:ec2:send-spot-instance-interruptions}: the rebalance recommendation and the two-minute warning. */
        SPOT_INTERRUPTION("aws:ec2:send-spot-instance-interruptions"),
        /** {@code aws:ec2:terminate-instances}: terminated at once, with no warning. */
        TERMINATION("aws:ec2:terminate-instances");

        private final String actionId;

        Fault(String actionId) {
            this.actionId = actionId;
        }

        public String actionId() {
            return actionId;
        }
    }

    /**
     * What a template does: {@code fault} on the running instances that carry all of {@code targetTags}, in
     * {@code region}; {@code name} tells the template (and, where one is needed, its role) apart from others.
     */
    record TemplateSpec(String name, String region, Fault fault, Map<String, String> targetTags) {
        public TemplateSpec {
            requireNonNull(name, "name is null");
            requireNonNull(region, "region is null");
            requireNonNull(fault, "fault is null");
            targetTags = Map.copyOf(targetTags);
        }
    }

    /** A template, and what was created to have it (empty when it was there already): one line each, for people. */
    record Template(String id, List<String> created) {
        public Template {
            requireNonNull(id, "id is null");
            created = List.copyOf(created);
        }
    }

    /** An experiment's status ({@code initiating}, {@code running}, {@code completed}, {@code failed}, …) and why. */
    record ExperimentState(String status, String reason) {
        public ExperimentState {
            requireNonNull(status, "status is null");
            requireNonNull(reason, "reason is null");
        }

        public boolean failed() {
            return status.equals("failed") || status.equals("stopped") || status.equals("cancelled");
        }
    }

    /** The template of {@code spec}, found by its tags or created (with what it needs) when missing. */
    Template ensureTemplate(TemplateSpec spec);

    /** Starts an experiment from the template; a retry with the same {@code clientToken} starts nothing more. */
    String start(String templateId, String clientToken);

    ExperimentState state(String experimentId);
}
