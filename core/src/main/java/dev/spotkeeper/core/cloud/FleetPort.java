package dev.spotkeeper.core.cloud;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fleet the way AWS runs one: an Auto Scaling group with a mixed-instances policy, behind a target group of a load
 * balancer. spotkeeper owns the decisions (which pools, in what order; when an instance leaves); the group owns
 * keeping the count. Failures are {@code SpotkeeperException}s with the service's error translated; no SDK type
 * crosses.
 */
public interface FleetPort {
    /** The termination lifecycle hook every group gets, under which a leaving instance waits to be let go. */
    String TERMINATION_HOOK = "spotkeeper-drain";

    /**
     * What a group should be. {@code instanceTypes} are the overrides in priority order (spotkeeper's own ranking of
     * pools, best first); {@code zones} the zones it spreads over, through their default subnets. {@code userData} is what the launch template runs (IMDSv2 required);
     * {@code loadBalancerArn}, when given, is used instead of creating one.
     */
    record GroupSpec(String name, String region, String imageId, String userData, List<String> instanceTypes,
                     List<String> zones, int desired, int maxSize, int onDemandBase,
                     String allocationStrategy, Map<String, String> tags, TargetSpec target,
                     Duration terminationHeartbeat, Optional<String> loadBalancerArn) {
        public GroupSpec {
            requireNonNull(name, "name is null");
            requireNonNull(region, "region is null");
            requireNonNull(imageId, "imageId is null");
            requireNonNull(userData, "userData is null");
            instanceTypes = List.copyOf(instanceTypes);
            zones = List.copyOf(zones);
            if (instanceTypes.isEmpty()) {
                throw new IllegalArgumentException("a group needs at least one instance type");
            }
            if (zones.isEmpty()) {
                throw new IllegalArgumentException("a group needs at least one zone");
            }
            if (desired < 0 || maxSize < desired || onDemandBase < 0 || onDemandBase > maxSize) {
                throw new IllegalArgumentException("sizes out of order: desired " + desired + ", max " + maxSize
                        + ", on-demand base " + onDemandBase);
            }
            requireNonNull(allocationStrategy, "allocationStrategy is null");
            tags = Map.copyOf(tags);
            requireNonNull(target, "target is null");
            requireNonNull(terminationHeartbeat, "terminationHeartbeat is null");
            requireNonNull(loadBalancerArn, "loadBalancerArn is null");
        }
    }

    /** The target group: the instances' port, its HTTP health check, the deregistration delay, the listener's port. */
    record TargetSpec(int port, String healthPath, Duration healthInterval, int healthyThreshold,
                      int unhealthyThreshold, Duration deregistrationDelay, int listenerPort) {
        public TargetSpec {
            requireNonNull(healthPath, "healthPath is null");
            requireNonNull(healthInterval, "healthInterval is null");
            requireNonNull(deregistrationDelay, "deregistrationDelay is null");
        }
    }

    /**
     * What was made for a group: its name and the ARNs of its target group, load balancer and listener, the load
     * balancer's DNS name, and whether the load balancer is the fleet's own (created for it) or was given.
     */
    record Fleet(String groupName, String targetGroupArn, String loadBalancerArn, String listenerArn, String dnsName,
                 boolean ownLoadBalancer) {
        public Fleet {
            requireNonNull(groupName, "groupName is null");
            requireNonNull(targetGroupArn, "targetGroupArn is null");
            requireNonNull(loadBalancerArn, "loadBalancerArn is null");
            requireNonNull(listenerArn, "listenerArn is null");
            requireNonNull(dnsName, "dnsName is null");
        }
    }

    /** A group as Auto Scaling reports it. */
    record Group(String name, int desired, int minSize, int maxSize, List<String> instanceTypes,
                 boolean capacityRebalance, List<Member> members) {
        public Group {
            requireNonNull(name, "name is null");
            instanceTypes = List.copyOf(instanceTypes);
            members = List.copyOf(members);
        }

        /** The members that count towards the desired capacity: pending or in service. */
        public List<Member> counted() {
            return members.stream().filter(m -> m.lifecycleState().startsWith("Pending")
                    || m.lifecycleState().equals("InService")).toList();
        }
    }

    /** One of a group's instances: its pool and its lifecycle state ({@code InService}, {@code Terminating:Wait}, …). */
    record Member(String instanceId, String instanceType, String zone, String lifecycleState, String healthStatus) {
        public Member {
            requireNonNull(instanceId, "instanceId is null");
            requireNonNull(instanceType, "instanceType is null");
            requireNonNull(zone, "zone is null");
            requireNonNull(lifecycleState, "lifecycleState is null");
            requireNonNull(healthStatus, "healthStatus is null");
        }
    }

    /** A target's health in its target group: {@code initial}, {@code healthy}, {@code unhealthy}, {@code draining}, … */
    record TargetHealth(String instanceId, String state, String reason) {
        public TargetHealth {
            requireNonNull(instanceId, "instanceId is null");
            requireNonNull(state, "state is null");
            requireNonNull(reason, "reason is null");
        }
    }

    /**
     * Creates what is missing of the fleet (launch template, target group with its health check and delay, load
     * balancer and listener unless given, the group with Capacity Rebalancing on and the termination hook) and
     * brings an existing group to {@code spec} (overrides re-ranked, sizes); a second call changes nothing more.
     */
    Fleet ensure(GroupSpec spec);

    /** The group, or empty when there is none of that name. */
    Optional<Group> group(String region, String name);

    List<TargetHealth> targetHealth(String region, String targetGroupArn);

    /**
     * Takes the instance out of the group without lowering its desired capacity: the group launches the replacement
     * at once, and the target group drains the instance, which keeps running.
     */
    default void detach(String region, String groupName, String instanceId) {
        detach(region, groupName, instanceId, true);
    }

    /**
     * Takes the instance out of the group, its target drained; {@code keepCapacity} false lowers the desired capacity
     * by one instead of launching a replacement (the end of a launch-before-terminate, whose replacement already serves).
     */
    void detach(String region, String groupName, String instanceId, boolean keepCapacity);

    /** Lets an instance waiting in the {@link #TERMINATION_HOOK} go on ({@code CONTINUE}) with its termination. */
    void completeTermination(String region, String groupName, String instanceId);

    void setDesiredCapacity(String region, String groupName, int desired);

    /**
     * Deletes the group (its instances terminated), and the listener, load balancer, target group and launch template
     * {@link #ensure} created (a given load balancer stays); what is already gone is skipped.
     */
    void delete(String region, Fleet fleet);
}
