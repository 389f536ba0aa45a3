package dev.spotkeeper.core.policy;

/** The reference every saving is measured against: on-demand from the first tick to the end. */
public final class OnDemandOnlyPolicy implements SchedulingPolicy {
    @Override
    public String name() {
        return "on-demand";
    }

    @Override
    public Decision decide(Observation o) {
        return Decision.onDemand(o.homeRegion());
    }
}
