package dev.spotkeeper.core.event;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * What the controller hears about an instance: the EventBridge events AWS emits and the reports of our own
 * agent, on one queue. Every event is keyed by {@code detail.instance-id} (never by the ARN: sample events in the
 * wild carry malformed ARNs) and carries its time and the id of the message that brought it.
 */
public sealed interface SpotEvent {
    String eventId();

    String instanceId();

    Instant time();

    /** The {@code detail-type} this event came as. */
    String detailType();

    /**
     * Delivery is at-least-once: two events with the same key are the same news. The key adds the state or the
     * report to (instance-id, detail-type), because one instance goes through several state changes.
     */
    default String dedupKey() {
        return instanceId() + "|" + detailType() + "|" + dedupQualifier();
    }

    /** What tells two events of the same instance and detail-type apart; empty when nothing does. */
    default String dedupQualifier() {
        return "";
    }

    /** AWS will stop, hibernate or terminate the spot instance in two minutes (hibernate: with no lead). */
    record InterruptionWarning(String eventId, String instanceId, Instant time, String action) implements SpotEvent {
        public InterruptionWarning {
            check(eventId, instanceId, time);
            requireNonNull(action, "action is null");
        }

        @Override
        public String detailType() {
            return EventTypes.INTERRUPTION_WARNING;
        }
    }

    /** The instance is at elevated risk of interruption: the earlier, softer signal. */
    record RebalanceRecommendation(String eventId, String instanceId, Instant time) implements SpotEvent {
        public RebalanceRecommendation {
            check(eventId, instanceId, time);
        }

        @Override
        public String detailType() {
            return EventTypes.REBALANCE_RECOMMENDATION;
        }
    }

    /** EC2 state change: pending, running, stopping, stopped, shutting-down, terminated. */
    record StateChange(String eventId, String instanceId, Instant time, String state) implements SpotEvent {
        public StateChange {
            check(eventId, instanceId, time);
            requireNonNull(state, "state is null");
        }

        @Override
        public String detailType() {
            return EventTypes.STATE_CHANGE;
        }

        @Override
        public String dedupQualifier() {
            return state;
        }
    }

    /**
     * An AWS Health scheduled change (e.g. instance retirement) for the instance; {@code startsAt} its
     * {@code detail.startTime}, when the event has a readable one.
     */
    record ScheduledChange(String eventId, String instanceId, Instant time, String eventTypeCode,
                           java.util.Optional<Instant> startsAt) implements SpotEvent {
        public ScheduledChange {
            check(eventId, instanceId, time);
            requireNonNull(eventTypeCode, "eventTypeCode is null");
            requireNonNull(startsAt, "startsAt is null");
        }

        /** A change whose start time is not known. */
        public ScheduledChange(String eventId, String instanceId, Instant time, String eventTypeCode) {
            this(eventId, instanceId, time, eventTypeCode, java.util.Optional.empty());
        }

        @Override
        public String detailType() {
            return EventTypes.HEALTH_EVENT;
        }

        @Override
        public String dedupQualifier() {
            return eventTypeCode;
        }
    }

    /** Auto Scaling is about to terminate the instance and waits on our lifecycle hook. */
    record LifecycleAction(String eventId, String instanceId, Instant time, String autoScalingGroupName,
                           String lifecycleHookName, String lifecycleActionToken) implements SpotEvent {
        public LifecycleAction {
            check(eventId, instanceId, time);
            requireNonNull(autoScalingGroupName, "autoScalingGroupName is null");
            requireNonNull(lifecycleHookName, "lifecycleHookName is null");
            requireNonNull(lifecycleActionToken, "lifecycleActionToken is null");
        }

        @Override
        public String detailType() {
            return EventTypes.LIFECYCLE_TERMINATE;
        }

        @Override
        public String dedupQualifier() {
            return lifecycleActionToken;
        }
    }

    /** A report of spotkeeper's agent on the instance: restored, evacuated, exited, progress, …. */
    record AgentReport(String eventId, String instanceId, Instant time, String report, Map<String, String> attributes)
            implements SpotEvent {
        public AgentReport {
            check(eventId, instanceId, time);
            requireNonNull(report, "report is null");
            attributes = Map.copyOf(attributes);
        }

        @Override
        public String detailType() {
            return EventTypes.AGENT_REPORT;
        }

        /** Agents number their reports, so a repeated report (a second checkpoint) is news. */
        @Override
        public String dedupQualifier() {
            return report + "/" + attributes.getOrDefault("sequence", "");
        }
    }

    private static void check(String eventId, String instanceId, Instant time) {
        requireNonNull(eventId, "eventId is null");
        requireNonNull(instanceId, "instanceId is null");
        requireNonNull(time, "time is null");
    }
}
