package dev.spotkeeper.emulator.autoscaling.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The emulated Auto Scaling groups; guarded by {@link AutoScalingService}'s lock. */
final class Model {
    private Model() {
    }

    /** A launch template as a group names it: by id or by name, and a version ({@code $Default}, {@code $Latest}, N). */
    record TemplateRef(String id, String name, String version) {
    }

    /** Where on-demand capacity ends and spot begins, and how spot pools are chosen. */
    record Distribution(int onDemandBase, int onDemandPercentAboveBase, String spotAllocationStrategy,
                        String onDemandAllocationStrategy) {
        static final Distribution ALL_ON_DEMAND = new Distribution(0, 100, "lowest-price", "prioritized");
    }

    /** A mixed-instances policy: one template, the types it may launch (in priority order), the distribution. */
    record MixedPolicy(TemplateRef template, List<String> overrides, Distribution distribution) {
        MixedPolicy {
            overrides = List.copyOf(overrides);
        }
    }

    record Hook(String name, String transition, int heartbeatTimeoutSeconds, String defaultResult) {
        boolean terminating() {
            return transition.equals("autoscaling:EC2_INSTANCE_TERMINATING");
        }
    }

    record Tag(String key, String value, boolean propagateAtLaunch) {
    }

    static final class Group {
        final String name;
        final String arn;
        final Instant created;
        int min;
        int max;
        int desired;
        TemplateRef template;
        MixedPolicy mixed;
        List<String> subnets = new ArrayList<>();
        List<String> zones = new ArrayList<>();
        List<String> targetGroups = new ArrayList<>();
        String healthCheckType = "EC2";
        int healthCheckGracePeriod = 300;
        boolean capacityRebalance;
        int defaultCooldown = 300;
        List<Tag> tags = new ArrayList<>();
        final Map<String, Hook> hooks = new LinkedHashMap<>();
        final Map<String, Member> members = new LinkedHashMap<>();
        /** Newest first, as DescribeScalingActivities lists them. */
        final List<Activity> activities = new ArrayList<>();
        /** Why the desired capacity last changed, the start of the next activities' cause. */
        String lastChange;
        /** After a launch EC2 refused for every pool, no new attempt before this. */
        Instant retryAfter;

        Group(String name, String arn, Instant created) {
            this.name = name;
            this.arn = arn;
            this.created = created;
        }

        TemplateRef templateRef() {
            return mixed != null ? mixed.template() : template;
        }

        /** Members that count towards the desired capacity: neither leaving nor gone. */
        List<Member> counted() {
            List<Member> out = new ArrayList<>();
            for (Member m : members.values()) {
                if (m.state.startsWith("Pending") || m.state.equals("InService")) {
                    out.add(m);
                }
            }
            return out;
        }
    }

    static final class Member {
        final String instanceId;
        final String instanceType;
        final String zone;
        /** The subnet or zone the group chose for it (what AZ balancing counts). */
        final String placement;
        final boolean spot;
        final Instant launched;
        /** Pending, Pending:Wait, InService, Terminating, Terminating:Wait, Detaching, … as AWS names them. */
        String state = "Pending";
        String health = "Healthy";
        boolean registered;
        /** When it went in service: the health check grace period counts from here. */
        Instant inServiceAt;
        Pending hook;
        Activity activity;

        Member(String instanceId, String instanceType, String zone, String placement, boolean spot, Instant launched) {
            this.instanceId = instanceId;
            this.instanceType = instanceType;
            this.zone = zone;
            this.placement = placement;
            this.spot = spot;
            this.launched = launched;
        }
    }

    /** A lifecycle action that waits for CompleteLifecycleAction or its heartbeat timeout. */
    record Pending(Hook hook, String token, Instant deadline) {
    }

    static final class Activity {
        final String id;
        final String group;
        final String description;
        final String cause;
        final Instant start;
        Instant end;
        String status = "InProgress";
        String statusMessage;
        int progress;

        Activity(String id, String group, String description, String cause, Instant start) {
            this.id = id;
            this.group = group;
            this.description = description;
            this.cause = cause;
            this.start = start;
        }

        void finish(Instant at, String statusCode, String message) {
            end = at;
            status = statusCode;
            statusMessage = message;
            progress = 100;
        }
    }
}
