package dev.spotkeeper.core.policy;

/**
 * Multi-zone failover as SkyPilot's managed jobs do it with the {@code EAGER_NEXT_REGION} recovery strategy:
 * stay on the spot instance until it is preempted, then launch in the cheapest zone that has spot now (egress
 * breaks ties; where availability is only learnt by asking, the cheapest zone not refused yet this tick, then the
 * next). SkyPilot has no deadline, so the same safety net as Greedy is added: on-demand for good once
 * waiting longer would miss the deadline.
 */
public final class FailoverPolicy implements SchedulingPolicy {
    private boolean committed;

    @Override
    public String name() {
        return "failover";
    }

    @Override
    public Decision decide(Observation o) {
        if (committed || o.mustRunOnDemand()) {
            committed = true;
            return Decision.onDemand(o.homeRegion());
        }
        if (o.holding() instanceof Decision.Spot s && o.zone(s.zone()).map(ZoneView::available).orElse(false)) {
            return s;
        }
        ZoneView best = null;
        for (ZoneView z : o.zones()) {
            if (z.mayHaveSpot() && (best == null || z.spotPrice() < best.spotPrice()
                    || z.spotPrice() == best.spotPrice() && o.egressTo(z.region()) < o.egressTo(best.region()))) {
                best = z;
            }
        }
        return best == null ? Decision.NONE : Decision.spot(best.zone());
    }
}
