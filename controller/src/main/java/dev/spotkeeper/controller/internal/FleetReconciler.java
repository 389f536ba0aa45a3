package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.controller.internal.FleetPlanner.Risk;
import dev.spotkeeper.core.cloud.FleetPort;
import dev.spotkeeper.core.cloud.FleetPort.GroupSpec;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.market.PoolSignals;
import dev.spotkeeper.core.placement.Strategies;
import dev.spotkeeper.core.store.EventFields;
import dev.spotkeeper.core.store.FleetState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.InstanceRole;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadSnapshot;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.core.workload.FleetExtension;
import dev.spotkeeper.core.workload.WorkloadKind;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules of a fleet ({@code kind: fleet}): {@code replicas} copies of {@code run} in an Auto Scaling group behind a
 * load balancer. Before the plan, the pass reads the group, its targets and the ranking of instance types from the
 * market ({@link #observe}); the plan is {@link FleetPlanner}'s, from that view, the instances the event queue put at
 * risk (a warning, a rebalance recommendation), the instances detached before and the pools that just interrupted;
 * the executor applies it through {@link FleetSteps} and keeps what it made and detached with the workload
 * ({@link FleetState}). The group's instances are recorded as the workload's instances (so that events find them and
 * the ledger bills them); a cancelled or failed fleet's group and load balancer are deleted ({@link #stop}).
 */
final class FleetReconciler implements KindReconciler {
    /** Auto Scaling takes up to 40 overrides; a handful of the best types is diverse enough. */
    private static final int MAX_TYPES = 20;
    /** How long a pool that interrupted the fleet stays ranked last. */
    private static final Duration JUST_INTERRUPTED = Duration.ofHours(1);
    /** The lifecycle state {@code status} shows for an instance spotkeeper detached from the group. */
    static final String DETACHED = "Detached";

    private final Context ctx;
    private final Launcher launcher;

    FleetReconciler(Context ctx, Launcher launcher) {
        this.ctx = ctx;
        this.launcher = launcher;
    }

    @Override
    public WorkloadKind kind() {
        return WorkloadKind.FLEET;
    }

    static FleetExtension fleet(WorkloadSpec spec) {
        return (FleetExtension) spec.extension();
    }

    /** The region the fleet's group is in: its first region, else the control plane's. */
    String region(WorkloadSpec spec) {
        return spec.requirements().regions().isEmpty() ? ctx.config.region() : spec.requirements().regions().iterator().next();
    }

    /**
     * What the cloud says of the fleet now: the group, its targets' health, and spotkeeper's ranking of instance
     * types in the fleet's region. Empty when the controller runs no fleets or the workload has ended.
     */
    Optional<FleetView> observe(WorkloadRecord w, WorkloadSpec spec) {
        FleetPort port = ctx.fleets;
        if (port == null || w.status().isTerminal()) {
            return Optional.empty();
        }
        String region = region(spec);
        Optional<FleetPort.Group> group = port.group(region, w.name());
        List<FleetPort.TargetHealth> targets = w.fleet().made() && group.isPresent()
                ? port.targetHealth(region, w.fleet().targetGroupArn()) : List.of();
        Set<String> types = new LinkedHashSet<>();
        Set<String> zones = new LinkedHashSet<>();
        for (PoolSignals p : launcher.ranked(rankable(spec), Set.of())) {
            if (p.pool().region().equals(region) && (types.size() < MAX_TYPES || types.contains(p.pool().instanceType()))) {
                types.add(p.pool().instanceType());
                zones.add(p.pool().zone());
            }
        }
        return Optional.of(new FleetView(region, group, targets, List.copyOf(types), List.copyOf(zones)));
    }

    /** The spec ranked by a spotkeeper strategy: the fleet's when it names one, else price-capacity-optimized. */
    private static WorkloadSpec rankable(WorkloadSpec spec) {
        try {
            Strategies.byName(spec.strategy());
            return spec;
        } catch (RuntimeException e) {
            return new WorkloadSpec(spec.name(), spec.requirements(), FleetExtension.DEFAULT_ALLOCATION, spec.limits(),
                    spec.image(), spec.buckets(), spec.relocation(), spec.extension(), spec.notifications());
        }
    }

    @Override
    public Plan plan(WorkloadSnapshot snapshot, CloudView cloud, Instant now) {
        WorkloadRecord w = snapshot.workload();
        if (w.status().isTerminal()) {
            return Plan.NOTHING;
        }
        if (w.status() == WorkloadStatus.SUBMITTED) {
            return new Plan(List.of(new Action.Start(false)), List.of(), true);
        }
        if (cloud.fleet().isEmpty()) {
            return Plan.NOTHING;
        }
        FleetView view = cloud.fleet().get();
        FleetExtension f = fleet(ctx.spec(w.specText()));
        FleetPlanner.Decision d = FleetPlanner.plan(new FleetPlanner.View(f.replicas(), view.group(), view.targets(),
                atRisk(snapshot), w.fleet().detached(), view.ranking(), interruptedTypes(snapshot, view.region(), now),
                false, w.fleet().below() || !w.fleet().reached()));
        return new Plan(List.of(new Action.Fleet(d.steps(), d.capacity())), List.of(), false);
    }

    /** The instances the event queue put at risk and that are not detached yet: warned, or only recommended to go. */
    static Map<String, Risk> atRisk(WorkloadSnapshot s) {
        Map<String, Risk> out = new HashMap<>();
        for (InstanceRecord r : s.instances()) {
            if (r.state() == InstanceState.AT_RISK && !s.workload().fleet().detached().contains(r.instanceId())) {
                out.put(r.instanceId(), r.interruptedAt().isPresent() ? Risk.WARNING : Risk.REBALANCE);
            }
        }
        return out;
    }

    /** The instance types of the region's pools that took an instance back from the fleet within the last hour. */
    static Set<String> interruptedTypes(WorkloadSnapshot s, String region, Instant now) {
        Set<String> out = new TreeSet<>();
        s.policy().pools().forEach((key, at) -> {
            String[] parts = key.split("/");
            if (parts.length == 3 && parts[0].equals(region) && at.isAfter(now.minus(JUST_INTERRUPTED))) {
                out.add(parts[2]);
            }
        });
        return out;
    }

    /** Applies the plan's steps, then records the members, what was detached and terminated, and the capacity news. */
    void apply(Action.Fleet action, WorkloadRecord w, CloudView cloud, Instant now) {
        FleetPort port = ctx.fleets;
        FleetView view = cloud.fleet().orElse(null);
        if (port == null || view == null) {
            return;
        }
        WorkloadSpec spec = ctx.spec(w.specText());
        FleetExtension f = fleet(spec);
        record(w, view, now);
        FleetState before = w.fleet();
        List<String> ranking = view.ranking().isEmpty()
                ? view.group().map(FleetPort.Group::instanceTypes).orElse(List.of()) : view.ranking();
        List<String> zones = view.zones().isEmpty() ? view.group().map(g -> g.members().stream()
                .map(FleetPort.Member::zone).distinct().toList()).orElse(List.of()) : view.zones();
        List<FleetSteps.Applied> done = new ArrayList<>();
        if (!action.steps().isEmpty()) {
            if (ranking.isEmpty() || zones.isEmpty()) {
                ctx.journal.note(w.name(), "", Kind.ERROR, "no pool of " + view.region() + " meets the fleet's"
                        + " requirements in the market now; its group waits for one");
            } else {
                GroupSpec base = FleetGroups.spec(w.name(), f, view.region(), zones, ranking, ctx.config.imageId(),
                        Tags.of(w.name()));
                Optional<FleetPort.Fleet> made = before.made() ? Optional.of(fleetOf(before)) : Optional.empty();
                done.add(new FleetSteps(port, ctx.compute).apply(base, made, action.steps()));
            }
        }
        Set<String> detached = new TreeSet<>(before.detached());
        // A member detaching that the store does not know as detached: a warning's detach whose bookkeeping a crash
        // cut short (the redelivered warning is a duplicate). Kept as detached, so that it is terminated once drained.
        view.group().ifPresent(g -> g.members().stream()
                .filter(m -> m.lifecycleState().equals("Detaching") && !detached.contains(m.instanceId())
                        && ctx.store.instance(m.instanceId()).isPresent())
                .forEach(m -> {
                    detached.add(m.instanceId());
                    ctx.records.move(m.instanceId(), InstanceState.AT_RISK, now);
                    ctx.records.move(m.instanceId(), InstanceState.EVACUATING, now);
                    ctx.journal.note(w.name(), m.instanceId(), Kind.FLEET, "detaching from the group: kept as"
                            + " detached, terminated once drained");
                }));
        for (FleetSteps.Applied a : done) {
            a.lines().forEach(line -> ctx.journal.note(w.name(), "", Kind.FLEET, line));
            for (String id : a.detached()) {
                detached.add(id);
                ctx.records.move(id, InstanceState.EVACUATING, now);
            }
            for (String id : a.terminated()) {
                detached.remove(id);
                if (ctx.records.move(id, InstanceState.TERMINATED, now)) {
                    ctx.journal.note(w.name(), id, Kind.TERMINATED, "detached and drained: terminated");
                }
            }
        }
        Optional<FleetPort.Fleet> fleet = done.stream().map(FleetSteps.Applied::fleet).flatMap(Optional::stream)
                .reduce((a, b) -> b);
        List<FleetState.Member> seen = view.group().map(g -> members(g, view.targets(), detached)).orElse(List.of());
        int desired = desiredAfter(view.group().map(FleetPort.Group::desired).orElse(f.replicas()),
                done.isEmpty() ? List.of() : action.steps());
        Optional<FleetPlanner.Capacity> news = action.capacity();
        ctx.records.updateWorkload(w.name(), x -> {
            FleetState s = x.fleet();
            if (fleet.isPresent()) {
                FleetPort.Fleet m = fleet.get();
                s = s.withMade(m.groupName(), view.region(), m.targetGroupArn(), m.loadBalancerArn(), m.listenerArn(),
                        m.dnsName(), m.ownLoadBalancer());
            }
            s = s.withDetached(detached).withObserved(desired, seen, now);
            if (news.isPresent() && !news.get().below() && !s.reached()) {
                s = s.withReached();
            } else if (news.isPresent()) {
                s = s.withBelow(news.get().below());
            }
            return s.equals(x.fleet()) ? x : x.withFleet(s, now);
        });
        if (!before.reached() && news.isPresent()) {
            ctx.journal.note(w.name(), "", Kind.FLEET, "all " + f.replicas() + " replicas healthy");
            return;
        }
        news.ifPresent(c -> {
            String pool = atRiskPool(w.name());
            ctx.journal.note(w.name(), "", c.below() ? Kind.CAPACITY_LOW : Kind.CAPACITY_RESTORED,
                    c.serving() + " of " + c.replicas() + " replicas healthy" + (c.below() ? "" : " again"),
                    EventFields.NONE.withCapacity(c.replicas(), c.serving()).withPool(pool));
        });
    }

    /** A detach done as a warning was handled: when the call returned, and whether it kept the desired capacity. */
    record Detached(Instant at, boolean keepCapacity) {
    }

    /**
     * The first thing done for a warning of a fleet's member, before anything is written: its detach, which makes
     * the group launch the replacement (or, during a launch before terminate, takes the group back to the replicas:
     * the surge's instance is the replacement). No cloud is read: the workload ({@code w}, read already) says whether
     * the group surges (the desired capacity the controller last saw or set: the replicas, or one more after a
     * rebalance recommendation), and the instance's record whether it is a member (running, booting or only
     * recommended to go, not detached). Empty when that is not known so (then {@link #atRiskNow} asks the group, after
     * the bookkeeping) or the detach failed, which the pass repairs from the group. The caller records the detach
     * ({@link #detached}).
     */
    Optional<Detached> detachFirst(InstanceRecord r, WorkloadRecord w) {
        FleetPort port = ctx.fleets;
        FleetState s = w.fleet();
        boolean member = r.state() == InstanceState.RUNNING || r.state() == InstanceState.PENDING
                || r.state() == InstanceState.AT_RISK;
        if (port == null || w.status().isTerminal() || !s.made() || s.deleted() || s.detached().contains(r.instanceId())
                || !member) {
            return Optional.empty();
        }
        int replicas = fleet(ctx.spec(w.specText())).replicas();
        if (s.desired() != replicas && s.desired() != replicas + 1) {
            return Optional.empty();
        }
        boolean keep = s.desired() == replicas;
        try {
            port.detach(s.region(), s.groupName(), r.instanceId(), keep);
            return Optional.of(new Detached(ctx.clock.instant(), keep));
        } catch (RuntimeException e) {
            ctx.journal.note(w.name(), r.instanceId(), Kind.ERROR, "detach: " + e.getMessage() + "; the group is"
                    + " asked again");
            return Optional.empty();
        }
    }

    /**
     * What a warning or a rebalance recommendation asks of the group, done as the event is handled rather than at
     * the next pass, so that the replacement is asked for within the second: a warned member is detached (keeping the
     * desired capacity, or lowering a surge back to the replicas, whose new instance is its replacement); a
     * recommendation raises the desired capacity by one (launch before terminate) unless it is raised already. What
     * fails here is left to the pass, whose plan asks for the same. A warning {@link #detachFirst} detached already
     * does not come here.
     */
    void atRiskNow(InstanceRecord r, boolean warning, Instant now) {
        FleetPort port = ctx.fleets;
        Optional<WorkloadRecord> found = ctx.store.workload(r.workload());
        if (port == null || found.isEmpty() || found.get().status().isTerminal() || !found.get().fleet().made()
                || found.get().fleet().deleted() || found.get().fleet().detached().contains(r.instanceId())) {
            return;
        }
        WorkloadRecord w = found.get();
        FleetState s = w.fleet();
        int replicas = fleet(ctx.spec(w.specText())).replicas();
        try {
            Optional<FleetPort.Group> group = port.group(s.region(), s.groupName());
            boolean member = group.isPresent() && group.get().members().stream().anyMatch(m -> m.instanceId()
                    .equals(r.instanceId()) && (m.lifecycleState().equals("InService")
                    || m.lifecycleState().startsWith("Pending")));
            if (!member) {
                return;
            }
            boolean surging = group.get().desired() > replicas;
            if (warning) {
                port.detach(s.region(), s.groupName(), r.instanceId(), !surging);
                detached(w.name(), r.instanceId(), !surging, ctx.clock.instant(), now);
            } else if (!surging) {
                port.setDesiredCapacity(s.region(), s.groupName(), replicas + 1);
                ctx.journal.note(w.name(), "", Kind.FLEET, "desired capacity " + (replicas + 1));
                // Kept, so that a warning before the next pass knows the group surges without asking it.
                ctx.records.updateWorkload(w.name(), x -> x.withFleet(x.fleet().withDesired(replicas + 1), now));
            }
        } catch (RuntimeException e) {
            ctx.journal.note(w.name(), r.instanceId(), Kind.ERROR, (warning ? "detach: " : "launch before terminate: ")
                    + e.getMessage() + "; the next pass retries");
        }
    }

    /**
     * Records a detach done as a warning was handled: its line (dated {@code at}, when the detach returned), the
     * instance evacuating, kept as detached.
     */
    void detached(String workload, String instanceId, boolean keepCapacity, Instant at, Instant now) {
        ctx.journal.note(at, workload, "", Kind.FLEET, FleetSteps.detachedLine(instanceId, keepCapacity),
                EventFields.NONE);
        ctx.records.move(instanceId, InstanceState.EVACUATING, now);
        ctx.records.updateWorkload(workload, x -> {
            Set<String> detached = new TreeSet<>(x.fleet().detached());
            detached.add(instanceId);
            return x.withFleet(x.fleet().withDetached(detached), now);
        });
    }

    /** The group's desired capacity once {@code steps} (all applied) changed {@code observed}. */
    static int desiredAfter(int observed, List<FleetPlanner.Step> steps) {
        int desired = observed;
        for (FleetPlanner.Step step : steps) {
            if (step instanceof FleetPlanner.Step.SetDesired d) {
                desired = d.desired();
            } else if (step instanceof FleetPlanner.Step.Ensure e) {
                desired = e.desired();
            } else if (step instanceof FleetPlanner.Step.Detach d && !d.keepCapacity()) {
                desired--;
            }
        }
        return desired;
    }

    /** The pool of the instance last put at risk, the one whose loss the news is about; empty when none. */
    private String atRiskPool(String workload) {
        List<InstanceRecord> all = ctx.store.instances(workload);
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).interruptedAt().isPresent() || all.get(i).state() == InstanceState.AT_RISK) {
                return all.get(i).poolKey();
            }
        }
        return "";
    }

    static FleetPort.Fleet fleetOf(FleetState s) {
        return new FleetPort.Fleet(s.groupName(), s.targetGroupArn(), s.loadBalancerArn(), s.listenerArn(),
                s.dnsName(), s.ownLoadBalancer());
    }

    /** The group's members and the instances detached from it, each with its target's state, for {@code status}. */
    private List<FleetState.Member> members(FleetPort.Group g, List<FleetPort.TargetHealth> targets,
                                            Set<String> detached) {
        Map<String, String> health = new HashMap<>();
        targets.forEach(t -> health.putIfAbsent(t.instanceId(), t.state()));
        List<FleetState.Member> out = new ArrayList<>();
        Set<String> listed = new java.util.HashSet<>();
        for (FleetPort.Member m : g.members()) {
            listed.add(m.instanceId());
            out.add(new FleetState.Member(m.instanceId(), m.instanceType(), m.zone(), m.lifecycleState(),
                    health.getOrDefault(m.instanceId(), "")));
        }
        for (String id : detached) {
            if (!listed.contains(id)) {
                String[] pool = ctx.store.instance(id).map(InstanceRecord::poolKey).orElse("//").split("/", -1);
                out.add(new FleetState.Member(id, pool.length == 3 ? pool[2] : "", pool.length == 3 ? pool[1] : "",
                        DETACHED, health.getOrDefault(id, "")));
            }
        }
        return out;
    }

    /**
     * Records the group's members the store does not know yet as the workload's instances (the pass's adoption finds
     * them by their tags when EC2 lists them; a group's newest one may not be listed yet), priced from the market.
     */
    private void record(WorkloadRecord w, FleetView view, Instant now) {
        if (view.group().isEmpty()) {
            return;
        }
        for (FleetPort.Member m : view.group().get().members()) {
            if (ctx.store.instance(m.instanceId()).isPresent()) {
                continue;
            }
            String poolKey = view.region() + "/" + m.zone() + "/" + m.instanceType();
            double price = ctx.pool(poolKey).map(PoolSignals::spotPrice).orElse(0.0);
            InstanceState state = m.lifecycleState().equals("InService") ? InstanceState.RUNNING : InstanceState.PENDING;
            if (ctx.store.createInstance(new InstanceRecord(m.instanceId(), w.name(), poolKey, true, price, state, "",
                    "", now, now, 0).withRole(InstanceRole.REPLICA, 0))) {
                ctx.journal.note(w.name(), m.instanceId(), Kind.LAUNCHED, "joined the group in " + poolKey,
                        EventFields.NONE.withInstance(poolKey, price, true));
            }
        }
    }

    /**
     * A fleet that ended (cancelled, failed): its group (instances terminated), load balancer and target group are
     * deleted, once; what is gone already is skipped, so a failed delete is retried by the next pass.
     */
    void stop(WorkloadRecord w) {
        FleetPort port = ctx.fleets;
        FleetState s = w.fleet();
        if (port == null || !s.made() || s.deleted()) {
            return;
        }
        port.delete(s.region(), fleetOf(s));
        for (String id : s.detached()) {
            try {
                ctx.compute.terminate(s.region(), id);
            } catch (RuntimeException e) {
                // Gone already, or EC2 says so on the next pass: the records' stop terminates it again.
            }
        }
        ctx.records.updateWorkload(w.name(), x -> x.fleet().deleted() ? x : x.withFleet(x.fleet().withDeleted(),
                ctx.clock.instant()));
        ctx.journal.note(w.name(), "", Kind.FLEET, "deleted group " + s.groupName() + (s.ownLoadBalancer()
                ? ", its load balancer" : ", its listener") + " and its target group");
    }
}
