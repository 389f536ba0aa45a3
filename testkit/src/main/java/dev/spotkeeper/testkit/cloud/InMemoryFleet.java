package dev.spotkeeper.testkit.cloud;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.FleetPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory {@link FleetPort} for the controller's tests: groups keep their desired count at once (a new member
 * is {@code Pending} with no target until the test says it serves), detached members drain until the test says they
 * have, scale-in waits in the termination hook. What the cloud does on its own, the test does through
 * {@link #serve} and {@link #drained}.
 */
public final class InMemoryFleet implements FleetPort {
    private static final class Group {
        int desired;
        int max;
        List<String> types;
        final Map<String, Member> members = new LinkedHashMap<>();
    }

    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, TargetHealth> targets = new LinkedHashMap<>();
    private int next;

    @Override
    public synchronized Fleet ensure(GroupSpec spec) {
        Group g = groups.computeIfAbsent(spec.name(), n -> new Group());
        g.desired = spec.desired();
        g.max = spec.maxSize();
        g.types = spec.instanceTypes();
        keepCount(spec.name(), g);
        return fleet(spec.name());
    }

    private static Fleet fleet(String name) {
        return new Fleet(name, "tg/" + name, "lb/" + name, "listener/" + name, name + ".elb.test", true);
    }

    private void keepCount(String name, Group g) {
        long counted = g.members.values().stream().filter(m -> m.lifecycleState().startsWith("Pending")
                || m.lifecycleState().equals("InService")).count();
        for (long i = counted; i < g.desired; i++) {
            String id = String.format("i-%017x", ++next);
            g.members.put(id, new Member(id, g.types.get(0), "us-east-1a", "Pending", "Healthy"));
        }
        List<Member> serving = g.members.values().stream().filter(m -> m.lifecycleState().equals("InService")).toList();
        for (int k = 0; k < counted - g.desired && k < serving.size(); k++) {
            Member m = serving.get(serving.size() - 1 - k);
            g.members.put(m.instanceId(), new Member(m.instanceId(), m.instanceType(), m.zone(), "Terminating:Wait",
                    m.healthStatus()));
            targets.put(m.instanceId(), new TargetHealth(m.instanceId(), "draining", "Target.DeregistrationInProgress"));
        }
    }

    private Group group(String name) {
        Group g = groups.get(name);
        if (g == null) {
            throw SpotkeeperException.invalidArgument("AutoScalingGroup " + name + " not found");
        }
        return g;
    }

    /** The instance is in service and its target healthy, as after its boot and health checks. */
    public synchronized void serve(String groupName, String instanceId) {
        Member m = group(groupName).members.get(instanceId);
        group(groupName).members.put(instanceId, new Member(instanceId, m.instanceType(), m.zone(), "InService",
                m.healthStatus()));
        targets.put(instanceId, new TargetHealth(instanceId, "healthy", ""));
    }

    /** The target's deregistration delay has passed: it leaves the target group (and a detached one the group). */
    public synchronized void drained(String groupName, String instanceId) {
        targets.remove(instanceId);
        Group g = group(groupName);
        Member m = g.members.get(instanceId);
        if (m != null && m.lifecycleState().equals("Detaching")) {
            g.members.remove(instanceId);
        }
    }

    @Override
    public synchronized Optional<FleetPort.Group> group(String region, String name) {
        Group g = groups.get(name);
        return g == null ? Optional.empty() : Optional.of(new FleetPort.Group(name, g.desired, 0, g.max, g.types, true,
                new ArrayList<>(g.members.values())));
    }

    @Override
    public synchronized List<TargetHealth> targetHealth(String region, String targetGroupArn) {
        return List.copyOf(targets.values());
    }

    @Override
    public synchronized void detach(String region, String groupName, String instanceId, boolean keepCapacity) {
        Group g = group(groupName);
        Member m = g.members.get(instanceId);
        if (m == null || !(m.lifecycleState().equals("InService") || m.lifecycleState().startsWith("Pending"))) {
            throw SpotkeeperException.invalidArgument("The instance " + instanceId + " is not part of Auto Scaling group "
                    + groupName + ".");
        }
        g.members.put(instanceId, new Member(instanceId, m.instanceType(), m.zone(), "Detaching", m.healthStatus()));
        targets.put(instanceId, new TargetHealth(instanceId, "draining", "Target.DeregistrationInProgress"));
        if (!keepCapacity) {
            g.desired--;
        }
        keepCount(groupName, g);
    }

    @Override
    public synchronized void completeTermination(String region, String groupName, String instanceId) {
        Group g = group(groupName);
        Member m = g.members.get(instanceId);
        if (m == null || !m.lifecycleState().equals("Terminating:Wait")) {
            throw SpotkeeperException.invalidArgument("No active Lifecycle Action found with instance ID " + instanceId);
        }
        g.members.remove(instanceId);
    }

    @Override
    public synchronized void setDesiredCapacity(String region, String groupName, int desired) {
        Group g = group(groupName);
        if (desired < 0 || desired > g.max) {
            throw SpotkeeperException.invalidArgument("New SetDesiredCapacity value " + desired + " is above max value "
                    + g.max + " for the AutoScalingGroup.");
        }
        g.desired = desired;
        keepCount(groupName, g);
    }

    @Override
    public synchronized void delete(String region, Fleet fleet) {
        Group g = groups.remove(fleet.groupName());
        if (g != null) {
            g.members.keySet().forEach(targets::remove);
        }
    }
}
