package dev.spotkeeper.sim;

import dev.spotkeeper.core.policy.Decision;
import dev.spotkeeper.core.policy.Observation;
import dev.spotkeeper.core.policy.SchedulingPolicy;

/** Replays an {@link OfflineOptimum.Plan} through the simulator, so the optimum is measured like every policy. */
public final class OptimalPolicy implements SchedulingPolicy {
    private final Decision[] decisions;

    public OptimalPolicy(OfflineOptimum.Plan plan) {
        this.decisions = plan.decisions().clone();
    }

    @Override
    public String name() {
        return "optimal";
    }

    @Override
    public Decision decide(Observation o) {
        return o.tick() < decisions.length ? decisions[o.tick()] : Decision.NONE;
    }
}
