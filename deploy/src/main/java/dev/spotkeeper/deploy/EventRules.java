package dev.spotkeeper.deploy;

import dev.spotkeeper.core.event.EventTypes;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.events.EventPattern;

/**
 * The EventBridge patterns of the events the controller acts on, as AWS documents them (EC2's events in the
 * EventBridge reference "Amazon EC2 events", AWS Health's "AWS Health events", Auto Scaling's lifecycle action):
 * one rule each, all into the event queue. The names come from {@link EventTypes}, which the parser reads, so a rule
 * never delivers what nobody parses.
 */
final class EventRules {
    /** A rule's construct id, what it is for, and its pattern. */
    record Rule(String id, String description, EventPattern pattern) {
    }

    static final List<Rule> ALL = List.of(
            new Rule("SpotInterruptionWarning", "EC2 Spot Instance Interruption Warning: two minutes before the end",
                    pattern(EventTypes.SOURCE_EC2, EventTypes.INTERRUPTION_WARNING, null)),
            new Rule("RebalanceRecommendation", "EC2 Instance Rebalance Recommendation: the pool is at elevated risk",
                    pattern(EventTypes.SOURCE_EC2, EventTypes.REBALANCE_RECOMMENDATION, null)),
            new Rule("InstanceStateChange", "EC2 Instance State-change Notification",
                    pattern(EventTypes.SOURCE_EC2, EventTypes.STATE_CHANGE, null)),
            new Rule("HealthScheduledChange", "AWS Health scheduled changes of EC2 (maintenance, retirement)",
                    pattern(EventTypes.SOURCE_HEALTH, EventTypes.HEALTH_EVENT,
                            Map.of("service", List.of("EC2"), "eventTypeCategory", List.of("scheduledChange")))),
            new Rule("TerminateLifecycleAction", "EC2 Instance-terminate Lifecycle Action of Auto Scaling",
                    pattern(EventTypes.SOURCE_AUTOSCALING, EventTypes.LIFECYCLE_TERMINATE, null)));

    private EventRules() {
    }

    private static EventPattern pattern(String source, String detailType, Map<String, Object> detail) {
        EventPattern.Builder b = EventPattern.builder().source(List.of(source)).detailType(List.of(detailType));
        if (detail != null) {
            b.detail(detail);
        }
        return b.build();
    }
}
