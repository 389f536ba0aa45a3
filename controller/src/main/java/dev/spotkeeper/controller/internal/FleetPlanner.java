package dev.spotkeeper.controller.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.cloud.FleetPort;
import dev.spotkeeper.core.cloud.FleetPort.Member;
import dev.spotkeeper.core.cloud.FleetPort.TargetHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules of a fleet, as a pure function: from what the group and its target group report, the instances at risk
 * and spotkeeper's ranking of pools, the steps that keep {@code replicas} serving. A warned instance is detached
 * without lowering the desired capacity (the group launches its replacement at once) and terminated once its target
 * has drained; a rebalance recommendation launches before it terminates (one more, the new target healthy, then the
 * at-risk one leaves with the desired capacity lowered back); an instance waiting in the termination hook is let go
 * once drained; pools that just interrupted are ranked last.
 */
final class FleetPlanner {
    /** Why an instance is at risk: a two-minute warning, or a rebalance recommendation (time to launch first). */
    enum Risk { WARNING, REBALANCE }

    /** What a pass sees of a fleet. {@code detached}: instances spotkeeper took out of the group, still running. */
    record View(int replicas, Optional<FleetPort.Group> group, List<TargetHealth> targets, Map<String, Risk> atRisk,
                Set<String> detached, List<String> ranking, Set<String> interruptedTypes, boolean cancelled,
                boolean wasBelow) {
        View {
            requireNonNull(group, "group is null");
            targets = List.copyOf(targets);
            atRisk = Map.copyOf(atRisk);
            detached = Set.copyOf(detached);
            ranking = List.copyOf(ranking);
            interruptedTypes = Set.copyOf(interruptedTypes);
        }
    }

    /** One thing to do to the fleet. */
    sealed interface Step {
        /** Create the fleet, or bring the group to these overrides (best first) and this desired capacity. */
        record Ensure(List<String> instanceTypes, int desired) implements Step {
        }

        record Detach(String instanceId, boolean keepCapacity) implements Step {
        }

        record SetDesired(int desired) implements Step {
        }

        record CompleteTermination(String instanceId) implements Step {
        }

        /** A detached instance whose target has drained: terminated through EC2. */
        record Terminate(String instanceId) implements Step {
        }

        record Delete() implements Step {
        }
    }

    /** Capacity news for the outbox: serving fewer than {@code replicas}, or back to them. */
    record Capacity(boolean below, int serving, int replicas) {
    }

    record Decision(List<Step> steps, Optional<Capacity> capacity) {
        Decision {
            steps = List.copyOf(steps);
            requireNonNull(capacity, "capacity is null");
        }
    }

    private FleetPlanner() {
    }

    static Decision plan(View v) {
        if (v.cancelled()) {
            return new Decision(v.group().isPresent() || !v.detached().isEmpty() ? List.of(new Step.Delete())
                    : List.of(), Optional.empty());
        }
        List<String> ranked = ranked(v.ranking(), v.interruptedTypes());
        if (v.group().isEmpty()) {
            return new Decision(List.of(new Step.Ensure(ranked, v.replicas())), Optional.empty());
        }
        FleetPort.Group g = v.group().get();
        Map<String, String> health = v.targets().stream()
                .collect(Collectors.toMap(TargetHealth::instanceId, TargetHealth::state, (a, b) -> a));
        List<Step> steps = new ArrayList<>();
        boolean surging = g.desired() > v.replicas();
        int healthyOthers = (int) g.members().stream().filter(m -> m.lifecycleState().equals("InService")
                && !v.atRisk().containsKey(m.instanceId()) && "healthy".equals(health.get(m.instanceId()))).count();
        boolean rebalancing = false;
        // The desired capacity as the steps so far leave it: a re-rank keeps it.
        int desired = g.desired();
        for (Member m : g.members()) {
            Risk risk = v.atRisk().get(m.instanceId());
            boolean serving = m.lifecycleState().equals("InService") || m.lifecycleState().startsWith("Pending");
            if (m.lifecycleState().equals("Terminating:Wait") && drained(health.get(m.instanceId()))) {
                steps.add(new Step.CompleteTermination(m.instanceId()));
            } else if (risk == Risk.WARNING && serving && surging && desired > v.replicas()) {
                // Warned during a launch before terminate: the surge's instance is its replacement already, so the
                // group goes back to replicas by this detach, and no serving instance is scaled in for it.
                steps.add(new Step.Detach(m.instanceId(), false));
                desired--;
            } else if (risk == Risk.WARNING && serving) {
                steps.add(new Step.Detach(m.instanceId(), true));
            } else if (risk == Risk.REBALANCE && serving) {
                rebalancing = true;
                if (!surging) {
                    steps.add(new Step.SetDesired(v.replicas() + 1));
                    surging = true;
                    desired = v.replicas() + 1;
                } else if (healthyOthers >= v.replicas()) {
                    steps.add(new Step.Detach(m.instanceId(), false));
                    desired--;
                }
            }
        }
        if (surging && !rebalancing && desired > v.replicas()) {
            steps.add(new Step.SetDesired(v.replicas()));
            desired = v.replicas();
        }
        for (String id : v.detached()) {
            if (drained(health.get(id)) && g.members().stream().noneMatch(m -> m.instanceId().equals(id))) {
                steps.add(new Step.Terminate(id));
            }
        }
        if (!g.instanceTypes().equals(ranked)) {
            steps.add(new Step.Ensure(ranked, Math.max(desired, v.replicas())));
        }
        int serving = (int) g.members().stream().filter(m -> m.lifecycleState().equals("InService")
                && "healthy".equals(health.get(m.instanceId())) && v.atRisk().get(m.instanceId()) != Risk.WARNING)
                .count();
        Optional<Capacity> capacity = Optional.empty();
        if (serving < v.replicas() && !v.wasBelow()) {
            capacity = Optional.of(new Capacity(true, serving, v.replicas()));
        } else if (serving >= v.replicas() && v.wasBelow()) {
            capacity = Optional.of(new Capacity(false, serving, v.replicas()));
        }
        return new Decision(steps, capacity);
    }

    /** A target no longer takes or finishes requests: gone from the group, or never registered. */
    private static boolean drained(String state) {
        return state == null || state.equals("unused");
    }

    /** spotkeeper's ranking of instance types, those that just interrupted moved last (in their own order). */
    static List<String> ranked(List<String> ranking, Set<String> interrupted) {
        List<String> out = new ArrayList<>(ranking.stream().filter(t -> !interrupted.contains(t)).toList());
        ranking.stream().filter(interrupted::contains).forEach(out::add);
        return out;
    }
}
