package dev.spotkeeper.core.policy;

import static java.util.Objects.requireNonNull;

/**
 * Uniform Progress from "Can't Be Late" (Wu et al., NSDI '24), in one zone. The job should have done
 * {@code W × elapsed / deadline} by now: spot when available; when it is not and the job is behind that line,
 * on-demand; otherwise wait. Once on on-demand, stay until ahead of the line by a restart overhead (the
 * paper's hysteresis, which keeps the job from paying a restart every time it crosses the line). Safety net:
 * when the slack falls under two restart overheads, on-demand to the end.
 */
public final class UniformProgressPolicy implements SchedulingPolicy {
    private final String zone;
    private boolean committed;

    public UniformProgressPolicy(String zone) {
        this.zone = requireNonNull(zone, "zone is null");
    }

    @Override
    public String name() {
        return "uniform-progress";
    }

    @Override
    public Decision decide(Observation o) {
        Decision onDemand = Decision.onDemand(o.homeRegion());
        double d = o.startHours(o.homeRegion());
        double slack = o.timeLeftHours() - o.workLeftHours();
        if (committed || slack < 2 * d || o.mustRunOnDemand()) {
            committed = true;
            return onDemand;
        }
        double elapsed = o.tick() * o.tickHours();
        double total = elapsed + o.timeLeftHours();
        double expected = (o.workDoneHours() + o.workLeftHours()) * elapsed / total;
        boolean available = o.zone(zone).map(ZoneView::mayHaveSpot).orElse(false);
        boolean onDemandNow = o.holding() instanceof Decision.OnDemand;
        if (onDemandNow && o.workDoneHours() < expected + d) {
            return onDemand;
        }
        if (available) {
            return Decision.spot(zone);
        }
        return o.workDoneHours() < expected ? onDemand : Decision.NONE;
    }
}
