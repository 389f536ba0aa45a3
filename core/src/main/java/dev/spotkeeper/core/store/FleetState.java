package dev.spotkeeper.core.store;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the controller made and saw of a fleet ({@code kind: fleet}), kept with its workload so that a restarted or
 * second controller, and {@code status}, know it without asking the cloud: the group's name and region, the ARNs of
 * its target group, load balancer and listener, the load balancer's DNS name and whether it is the fleet's own; the
 * instances spotkeeper detached (still running, draining, to be terminated once drained); whether the fleet has served
 * all its replicas once (before that, booting is no news) and whether it last said it serves below them; the desired capacity and the members with their target's state as the last pass
 * saw them, and when; and whether the fleet was deleted. {@link #NONE}: nothing made yet (every other kind).
 */
public record FleetState(String groupName, String region, String targetGroupArn, String loadBalancerArn,
                         String listenerArn, String dnsName, boolean ownLoadBalancer, Set<String> detached,
                         boolean reached, boolean below, boolean deleted, int desired, List<Member> members,
                         Optional<Instant> observedAt) {
    public static final FleetState NONE = new FleetState("", "", "", "", "", "", false, Set.of(), false, false, false, 0,
            List.of(), Optional.empty());

    /** One instance as the last pass saw it: its pool, its lifecycle in the group, its target's state. */
    public record Member(String instanceId, String instanceType, String zone, String lifecycleState,
                         String targetState) {
        public Member {
            requireNonNull(instanceId, "instanceId is null");
            requireNonNull(instanceType, "instanceType is null");
            requireNonNull(zone, "zone is null");
            requireNonNull(lifecycleState, "lifecycleState is null");
            requireNonNull(targetState, "targetState is null");
        }
    }

    public FleetState {
        requireNonNull(groupName, "groupName is null");
        requireNonNull(region, "region is null");
        requireNonNull(targetGroupArn, "targetGroupArn is null");
        requireNonNull(loadBalancerArn, "loadBalancerArn is null");
        requireNonNull(listenerArn, "listenerArn is null");
        requireNonNull(dnsName, "dnsName is null");
        detached = Set.copyOf(new TreeSet<>(detached));
        members = List.copyOf(members);
        requireNonNull(observedAt, "observedAt is null");
    }

    /** True once the group was made (and until the workload is submitted again). */
    public boolean made() {
        return !groupName.isEmpty();
    }

    public FleetState withMade(String group, String inRegion, String tg, String lb, String listener, String dns,
                               boolean own) {
        return new FleetState(group, inRegion, tg, lb, listener, dns, own, detached, reached, below, deleted, desired, members,
                observedAt);
    }

    public FleetState withDetached(Set<String> next) {
        return new FleetState(groupName, region, targetGroupArn, loadBalancerArn, listenerArn, dnsName,
                ownLoadBalancer, next, reached, below, deleted, desired, members, observedAt);
    }

    public FleetState withBelow(boolean next) {
        return new FleetState(groupName, region, targetGroupArn, loadBalancerArn, listenerArn, dnsName,
                ownLoadBalancer, detached, reached, next, deleted, desired, members, observedAt);
    }

    /** The fleet served all its replicas at least once: from then on, fewer is news. */
    public FleetState withReached() {
        return new FleetState(groupName, region, targetGroupArn, loadBalancerArn, listenerArn, dnsName,
                ownLoadBalancer, detached, true, false, deleted, desired, members, observedAt);
    }

    public FleetState withDeleted() {
        return new FleetState(groupName, region, targetGroupArn, loadBalancerArn, listenerArn, dnsName,
                ownLoadBalancer, Set.of(), reached, below, true, desired, members, observedAt);
    }

    public FleetState withObserved(int nowDesired, List<Member> seen, Instant at) {
        return new FleetState(groupName, region, targetGroupArn, loadBalancerArn, listenerArn, dnsName,
                ownLoadBalancer, detached, reached, below, deleted, nowDesired, seen, Optional.of(at));
    }

    /** The group's desired capacity as the controller just set it, the members as last seen. */
    public FleetState withDesired(int nowDesired) {
        return new FleetState(groupName, region, targetGroupArn, loadBalancerArn, listenerArn, dnsName,
                ownLoadBalancer, detached, reached, below, deleted, nowDesired, members, observedAt);
    }

    /** The state as compact JSON, for stores that keep it as one attribute. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("groupName", groupName);
        m.put("region", region);
        m.put("targetGroupArn", targetGroupArn);
        m.put("loadBalancerArn", loadBalancerArn);
        m.put("listenerArn", listenerArn);
        m.put("dnsName", dnsName);
        m.put("ownLoadBalancer", ownLoadBalancer);
        m.put("detached", List.copyOf(new TreeSet<>(detached)));
        m.put("reached", reached);
        m.put("below", below);
        m.put("deleted", deleted);
        m.put("desired", desired);
        List<Object> ms = new ArrayList<>();
        for (Member x : members) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", x.instanceId());
            o.put("type", x.instanceType());
            o.put("zone", x.zone());
            o.put("lifecycle", x.lifecycleState());
            o.put("target", x.targetState());
            ms.add(o);
        }
        m.put("members", ms);
        observedAt.ifPresent(at -> m.put("observedAt", at.toString()));
        return Json.write(m);
    }

    /** Reads what {@link #toJson()} wrote; an empty text is {@link #NONE}. */
    public static FleetState fromJson(String text) {
        if (text == null || text.isEmpty()) {
            return NONE;
        }
        Map<String, Object> m = Json.parseObject(text);
        List<Member> ms = new ArrayList<>();
        for (Object o : (List<?>) m.getOrDefault("members", List.of())) {
            Map<?, ?> x = (Map<?, ?>) o;
            ms.add(new Member(str(x, "id"), str(x, "type"), str(x, "zone"), str(x, "lifecycle"), str(x, "target")));
        }
        Set<String> detached = new TreeSet<>();
        for (Object o : (List<?>) m.getOrDefault("detached", List.of())) {
            detached.add(String.valueOf(o));
        }
        Object at = m.get("observedAt");
        return new FleetState(str(m, "groupName"), str(m, "region"), str(m, "targetGroupArn"),
                str(m, "loadBalancerArn"), str(m, "listenerArn"), str(m, "dnsName"),
                Boolean.TRUE.equals(m.get("ownLoadBalancer")), detached, Boolean.TRUE.equals(m.get("reached")),
                Boolean.TRUE.equals(m.get("below")),
                Boolean.TRUE.equals(m.get("deleted")), ((Number) m.getOrDefault("desired", 0)).intValue(), ms,
                at == null ? Optional.empty() : Optional.of(Instant.parse(at.toString())));
    }

    private static String str(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : v.toString();
    }
}
