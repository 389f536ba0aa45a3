package dev.spotkeeper.core.event;

import java.util.Set;

/** The {@code source} and {@code detail-type} values spotkeeper handles, exactly as EventBridge sends them. */
public final class EventTypes {
    public static final String SOURCE_EC2 = "aws.ec2";
    public static final String SOURCE_HEALTH = "aws.health";
    public static final String SOURCE_AUTOSCALING = "aws.autoscaling";
    /** Our agent's reports use the EventBridge envelope with this source. */
    public static final String SOURCE_AGENT = "spotkeeper.agent";

    public static final String INTERRUPTION_WARNING = "EC2 Spot Instance Interruption Warning";
    public static final String REBALANCE_RECOMMENDATION = "EC2 Instance Rebalance Recommendation";
    public static final String STATE_CHANGE = "EC2 Instance State-change Notification";
    public static final String HEALTH_EVENT = "AWS Health Event";
    public static final String LIFECYCLE_TERMINATE = "EC2 Instance-terminate Lifecycle Action";
    public static final String AGENT_REPORT = "Spotkeeper Agent Report";

    public static final Set<String> INSTANCE_ACTIONS = Set.of("terminate", "stop", "hibernate");
    public static final Set<String> EC2_STATES = Set.of("pending", "running", "stopping", "stopped", "shutting-down", "terminated");

    private EventTypes() {
    }
}
