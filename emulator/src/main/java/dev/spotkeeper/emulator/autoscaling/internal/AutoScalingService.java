package dev.spotkeeper.emulator.autoscaling.internal;

import dev.spotkeeper.emulator.autoscaling.internal.Model.Activity;
import dev.spotkeeper.emulator.autoscaling.internal.Model.Group;
import dev.spotkeeper.emulator.autoscaling.internal.Model.Hook;
import dev.spotkeeper.emulator.autoscaling.internal.Model.Member;
import dev.spotkeeper.emulator.autoscaling.internal.Model.Pending;
import dev.spotkeeper.emulator.query.QueryError;
import dev.spotkeeper.emulator.spi.CloudEventSink;
import dev.spotkeeper.emulator.spi.InstanceControl;
import dev.spotkeeper.emulator.spi.InstanceControl.InstanceView;
import dev.spotkeeper.emulator.spi.InstanceLauncher;
import dev.spotkeeper.emulator.spi.LoadBalancerControl;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The emulated Auto Scaling groups and the loop that keeps each at its desired capacity, as the service does: it
 * launches through EC2 (tagged {@code aws:autoscaling:groupName}), registers instances in service with the group's
 * target groups, replaces instances EC2 ended, runs lifecycle hooks, and records AWS's scaling activities.
 */
public final class AutoScalingService {
    static final String GROUP_TAG = "aws:autoscaling:groupName";
    private static final String TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING";
    private static final String LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING";

    private final Clock clock;
    private final Random random;
    private final String account;
    private final Ports ports;
    private final Map<String, Group> groups = new LinkedHashMap<>();

    /** The other components, found at call time (they may start later). */
    public record Ports(Supplier<Optional<InstanceControl>> instances, Supplier<Optional<InstanceLauncher>> launcher,
                        Supplier<Optional<LoadBalancerControl>> loadBalancers, Supplier<CloudEventSink> events) {
    }

    public AutoScalingService(Clock clock, long seed, String account, Ports ports) {
        this.clock = clock;
        this.random = new Random(seed);
        this.account = account;
        this.ports = ports;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    // ---- the API ----

    public synchronized Group create(String region, GroupSettings s) {
        if (groups.containsKey(s.name())) {
            throw QueryError.sender("AlreadyExists", "AutoScalingGroup by this name already exists - A group with "
                    + "the name " + s.name() + " already exists");
        }
        Group g = new Group(s.name(), "arn:aws:autoscaling:" + region + ":" + account + ":autoScalingGroup:" + uuid()
                + ":autoScalingGroupName/" + s.name(), now());
        s.applyTo(g, true);
        checkSizes(g.min, g.max, g.desired);
        for (String tg : g.targetGroups) {
            if (ports.loadBalancers().get().map(lb -> !lb.targetGroupExists(tg)).orElse(true)) {
                throw QueryError.validation("Provided Target Groups may not be valid. Please ensure they exist and "
                        + "try again: " + tg);
            }
        }
        g.lastChange = "At " + now() + " a user request created an AutoScalingGroup changing the desired capacity "
                + "from 0 to " + g.desired + ".";
        groups.put(g.name, g);
        return g;
    }

    public synchronized void update(GroupSettings s) {
        Group g = group(s.name());
        int before = g.desired;
        int min = s.min() != null ? s.min() : g.min;
        int max = s.max() != null ? s.max() : g.max;
        int desired = s.desired() != null ? s.desired() : Math.max(min, Math.min(max, g.desired));
        checkSizes(min, max, desired);
        s.applyTo(g, false);
        g.min = min;
        g.max = max;
        g.desired = desired;
        if (desired != before) {
            g.lastChange = "At " + now() + " a user request update of AutoScalingGroup constraints to min: " + min
                    + ", max: " + max + ", desired: " + desired + " changing the desired capacity from " + before
                    + " to " + desired + ".";
        }
    }

    static void checkSizes(int min, int max, int desired) {
        if (min < 0 || max < min) {
            throw QueryError.validation("Max bound, " + max + ", must be greater than or equal to min bound, " + min);
        }
        if (desired < min || desired > max) {
            throw QueryError.validation("Desired capacity:" + desired + " must be between the specified min size:"
                    + min + " and max size:" + max);
        }
    }

    public synchronized void setDesiredCapacity(String name, int desired) {
        Group g = group(name);
        if (desired < g.min || desired > g.max) {
            throw QueryError.validation("New SetDesiredCapacity value " + desired + " is "
                    + (desired < g.min ? "below min value " + g.min : "above max value " + g.max)
                    + " for the AutoScalingGroup.");
        }
        if (desired != g.desired) {
            g.lastChange = "At " + now() + " a user request explicitly set group desired capacity changing the desired "
                    + "capacity from " + g.desired + " to " + desired + ".";
            g.desired = desired;
        }
    }

    public synchronized List<Group> describe(List<String> names) {
        List<Group> out = new ArrayList<>();
        if (names.isEmpty()) {
            out.addAll(groups.values());
        } else {
            names.forEach(n -> Optional.ofNullable(groups.get(n)).ifPresent(out::add));
        }
        return out;
    }

    /** Instance id → its group, for DescribeAutoScalingInstances (every member when none is named). */
    public synchronized Map<Member, Group> members(List<String> instanceIds) {
        Map<Member, Group> out = new LinkedHashMap<>();
        for (Group g : groups.values()) {
            for (Member m : g.members.values()) {
                if (instanceIds.isEmpty() || instanceIds.contains(m.instanceId)) {
                    out.put(m, g);
                }
            }
        }
        return out;
    }

    Group group(String name) {
        Group g = groups.get(name);
        if (g == null) {
            throw QueryError.validation("AutoScalingGroup name not found - AutoScalingGroup " + name + " not found");
        }
        return g;
    }

    public synchronized List<Activity> detach(String name, List<String> instanceIds, boolean decrement) {
        Group g = group(name);
        List<Member> leaving = new ArrayList<>();
        for (String id : instanceIds) {
            Member m = g.members.get(id);
            if (m == null || !(m.state.equals("InService") || m.state.startsWith("Pending") || m.state.equals("Standby"))) {
                throw QueryError.validation("The instance " + id + " is not part of Auto Scaling group " + name + ".");
            }
            leaving.add(m);
        }
        int before = g.counted().size();
        if (decrement && g.desired - leaving.size() < g.min) {
            throw QueryError.validation("Detaching " + leaving.size() + " instance(s) would bring the desired capacity "
                    + "below the group's min size " + g.min + ".");
        }
        List<Activity> out = new ArrayList<>();
        for (Member m : leaving) {
            String how = decrement ? "shrinking the capacity from " + before + " to " + (before - 1)
                    : "keeping the capacity at " + before;
            Activity a = activity(g, "Detaching EC2 instance: " + m.instanceId, "At " + now() + " instance "
                    + m.instanceId + " was detached in response to a user request, " + how + ".");
            if (decrement) {
                g.desired--;
                before--;
            } else {
                g.lastChange = "At " + now() + " instance " + m.instanceId + " was detached in response to a user "
                        + "request, keeping the capacity at " + before + ".";
            }
            m.state = "Detaching";
            m.activity = a;
            deregister(g, m);
            out.add(a);
        }
        // the replacement is launched at once, not at the next tick
        reconcile(g);
        return out;
    }

    /**
     * Deletes the group. With instances still in it, only {@code force} does (AWS's {@code ResourceInUse} otherwise),
     * and then its instances are deregistered and terminated through EC2 at once, hooks skipped, as AWS does.
     */
    public synchronized void delete(String name, boolean force) {
        Group g = group(name);
        if (!g.members.isEmpty() && !force) {
            throw QueryError.sender("ResourceInUse", "You cannot delete an AutoScalingGroup while there are instances "
                    + "or pending Spot instance request(s) still in the group.");
        }
        for (Member m : new ArrayList<>(g.members.values())) {
            if (!m.state.equals("Detaching")) {
                deregister(g, m);
                ports.instances().get().ifPresent(ec2 -> ec2.terminate(m.instanceId));
            }
        }
        groups.remove(name);
    }

    public synchronized void putHook(String name, Hook hook) {
        group(name).hooks.put(hook.name(), hook);
    }

    public synchronized void completeLifecycleAction(String name, String hookName, String instanceId, String token,
                                                     String result) {
        Group g = group(name);
        for (Member m : g.members.values()) {
            boolean match = m.hook != null && m.hook.hook().name().equals(hookName)
                    && (instanceId != null ? m.instanceId.equals(instanceId) : m.hook.token().equals(token));
            if (match) {
                proceed(g, m, result);
                reconcile(g);
                return;
            }
        }
        throw QueryError.validation("No active Lifecycle Action found with "
                + (instanceId != null ? "instance ID " + instanceId : "token " + token));
    }

    public synchronized List<Activity> activities(String name, List<String> ids, int max) {
        List<Activity> all = new ArrayList<>();
        if (name != null) {
            all.addAll(group(name).activities);
        } else {
            groups.values().forEach(g -> all.addAll(g.activities));
            all.sort((a, b) -> b.start.compareTo(a.start));
        }
        if (!ids.isEmpty()) {
            all.removeIf(a -> !ids.contains(a.id));
        }
        return all.subList(0, Math.min(max, all.size()));
    }

    // ---- the loop ----

    public synchronized void tick() {
        for (Group g : groups.values()) {
            reconcile(g);
        }
    }

    private void reconcile(Group g) {
        Map<String, InstanceView> views = new LinkedHashMap<>();
        ports.instances().get().ifPresent(ec2 -> ec2.instances().forEach(v -> views.put(v.instanceId(), v)));
        for (Member m : new ArrayList<>(g.members.values())) {
            follow(g, m, views.get(m.instanceId));
        }
        if (g.healthCheckType.equals("ELB")) {
            replaceUnhealthyTargets(g);
        }
        int counted = g.counted().size();
        if (counted < g.desired) {
            Launches.launch(this, g, g.desired - counted);
        } else if (counted > g.desired) {
            scaleIn(g, counted - g.desired);
        }
    }

    /** Moves one member along its lifecycle by what EC2 reports of its instance. */
    private void follow(Group g, Member m, InstanceView view) {
        boolean gone = view == null || view.state().equals("terminated") || view.state().equals("shutting-down")
                || view.state().equals("stopped") || view.state().equals("stopping");
        Instant now = now();
        switch (m.state) {
            case "Pending" -> {
                if (gone) {
                    lost(g, m);
                } else if (view.state().equals("running")) {
                    Optional<Hook> hook = g.hooks.values().stream().filter(h -> h.transition().equals(LAUNCHING)).findFirst();
                    if (hook.isPresent()) {
                        wait(g, m, hook.get(), "Pending:Wait");
                    } else {
                        inService(g, m);
                    }
                }
            }
            case "Pending:Wait", "Terminating:Wait" -> {
                if (gone && m.state.equals("Pending:Wait")) {
                    lost(g, m);
                } else if (m.hook != null && now.isAfter(m.hook.deadline())) {
                    proceed(g, m, m.hook.hook().defaultResult());
                }
            }
            case "InService" -> {
                if (gone) {
                    lost(g, m);
                }
            }
            case "Terminating:Proceed" -> {
                if (gone) {
                    g.members.remove(m.instanceId);
                    if (m.activity != null) {
                        m.activity.finish(now, "Successful", null);
                    }
                }
            }
            case "Detaching" -> {
                if (!stillRegistered(g, m)) {
                    g.members.remove(m.instanceId);
                    m.state = "Detached";
                    m.activity.finish(now, "Successful", null);
                }
            }
            default -> {
                // Terminating: waits for its hook to start (set in terminate)
            }
        }
    }

    /**
     * With the ELB health check type, an instance in service past its grace period that a target group reports
     * unhealthy is taken out of service and replaced, as AWS does.
     */
    private void replaceUnhealthyTargets(Group g) {
        Optional<LoadBalancerControl> lbs = ports.loadBalancers().get();
        if (lbs.isEmpty()) {
            return;
        }
        Map<String, Map<String, String>> states = new LinkedHashMap<>();
        for (Member m : new ArrayList<>(g.members.values())) {
            if (!m.state.equals("InService") || m.inServiceAt == null
                    || clock.instant().isBefore(m.inServiceAt.plusSeconds(g.healthCheckGracePeriod))) {
                continue;
            }
            boolean unhealthy = false;
            for (String tg : g.targetGroups) {
                try {
                    unhealthy |= "unhealthy".equals(states.computeIfAbsent(tg, lbs.get()::targetStates).get(m.instanceId));
                } catch (RuntimeException e) {
                    // a target group deleted under the group judges nothing
                }
            }
            if (unhealthy) {
                m.health = "Unhealthy";
                String cause = "At " + now() + " an instance was taken out of service in response to an ELB system "
                        + "health check failure.";
                g.lastChange = cause;
                terminate(g, m, activity(g, "Terminating EC2 instance: " + m.instanceId, cause));
            }
        }
    }

    private void inService(Group g, Member m) {
        m.state = "InService";
        m.inServiceAt = clock.instant();
        if (m.activity != null) {
            m.activity.finish(now(), "Successful", null);
            m.activity = null;
        }
        m.hook = null;
        for (String tg : g.targetGroups) {
            try {
                ports.loadBalancers().get().ifPresent(lb -> lb.register(tg, List.of(m.instanceId)));
                m.registered = true;
            } catch (RuntimeException e) {
                // a target group deleted under the group: AWS keeps the instance in service too
            }
        }
    }

    /** EC2 ended an instance (a spot interruption, a user): AWS takes it out of service and replaces it. */
    private void lost(Group g, Member m) {
        m.health = "Unhealthy";
        String cause = "At " + now() + " an instance was taken out of service in response to an EC2 health check "
                + "indicating it has been terminated or stopped.";
        if (m.activity != null) {
            m.activity.finish(now(), "Cancelled", "The instance ended before it was in service.");
        }
        activity(g, "Terminating EC2 instance: " + m.instanceId, cause).finish(now(), "Successful", null);
        g.lastChange = cause;
        deregister(g, m);
        g.members.remove(m.instanceId);
    }

    private void scaleIn(Group g, int count) {
        List<Member> candidates = new ArrayList<>(g.counted());
        // AWS's default policy: the zone with the most instances, then the oldest instance there
        Map<String, Integer> perZone = new LinkedHashMap<>();
        candidates.forEach(m -> perZone.merge(m.zone, 1, Integer::sum));
        candidates.sort((a, b) -> {
            int byZone = Integer.compare(perZone.get(b.zone), perZone.get(a.zone));
            return byZone != 0 ? byZone : a.launched.compareTo(b.launched);
        });
        int size = candidates.size();
        for (Member m : candidates.subList(0, count)) {
            String cause = g.lastChange + "  At " + now() + " an instance was taken out of service in response to a "
                    + "difference between desired and actual capacity, shrinking the capacity from " + size + " to "
                    + (size - 1) + ".  At " + now() + " instance " + m.instanceId + " was selected for termination.";
            size--;
            terminate(g, m, activity(g, "Terminating EC2 instance: " + m.instanceId, cause));
        }
    }

    private void terminate(Group g, Member m, Activity a) {
        m.activity = a;
        m.state = "Terminating";
        deregister(g, m);
        Optional<Hook> hook = g.hooks.values().stream().filter(Hook::terminating).findFirst();
        if (hook.isPresent()) {
            wait(g, m, hook.get(), "Terminating:Wait");
        } else {
            proceed(g, m, "CONTINUE");
        }
    }

    private void wait(Group g, Member m, Hook hook, String state) {
        m.state = state;
        m.hook = new Pending(hook, uuid(), clock.instant().plusSeconds(hook.heartbeatTimeoutSeconds()));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("LifecycleActionToken", m.hook.token());
        detail.put("AutoScalingGroupName", g.name);
        detail.put("LifecycleHookName", hook.name());
        detail.put("EC2InstanceId", m.instanceId);
        detail.put("LifecycleTransition", hook.transition());
        detail.put("Origin", hook.terminating() ? "AutoScalingGroup" : "EC2");
        detail.put("Destination", hook.terminating() ? "EC2" : "AutoScalingGroup");
        String type = hook.terminating() ? "EC2 Instance-terminate Lifecycle Action" : "EC2 Instance-launch Lifecycle Action";
        String region = g.arn.split(":")[3];
        ports.events().get().publish("aws.autoscaling", type, region, clock.instant(), List.of(g.arn), detail);
    }

    private void proceed(Group g, Member m, String result) {
        m.hook = null;
        if (m.state.startsWith("Pending") && "CONTINUE".equals(result)) {
            inService(g, m);
            return;
        }
        if (m.state.startsWith("Pending")) {
            terminate(g, m, activity(g, "Terminating EC2 instance: " + m.instanceId, "At " + now() + " instance "
                    + m.instanceId + " was terminated: its launch lifecycle action was abandoned."));
            return;
        }
        m.state = "Terminating:Proceed";
        ports.instances().get().ifPresent(ec2 -> ec2.terminate(m.instanceId));
    }

    private void deregister(Group g, Member m) {
        if (!m.registered) {
            return;
        }
        for (String tg : g.targetGroups) {
            try {
                ports.loadBalancers().get().ifPresent(lb -> lb.deregister(tg, List.of(m.instanceId)));
            } catch (RuntimeException e) {
                // the target group is gone: nothing left to drain
            }
        }
    }

    private boolean stillRegistered(Group g, Member m) {
        if (!m.registered) {
            return false;
        }
        for (String tg : g.targetGroups) {
            try {
                if (ports.loadBalancers().get().map(lb -> lb.targetStates(tg).containsKey(m.instanceId)).orElse(false)) {
                    return true;
                }
            } catch (RuntimeException e) {
                // the target group is gone
            }
        }
        return false;
    }

    Activity activity(Group g, String description, String cause) {
        Activity a = new Activity(uuid(), g.name, description, cause, clock.instant());
        g.activities.add(0, a);
        return a;
    }

    Ports ports() {
        return ports;
    }

    Instant instant() {
        return now();
    }
}
