package dev.spotkeeper.sim;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.policy.Decision;
import dev.spotkeeper.core.policy.Observation;
import dev.spotkeeper.core.policy.SchedulingPolicy;
import dev.spotkeeper.core.policy.ZoneView;
import dev.spotkeeper.sim.trace.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Drives one policy through one window of a trace on a virtual clock, one tick at a time. At each tick: a held
 * spot instance whose zone became unavailable is preempted (progress kept); the policy decides; a new start
 * pays egress when the checkpoint changes region and then restart-overhead ticks (billed, no progress); a warm
 * instance makes one tick of progress. The checkpoint moves to a region once an instance there finished
 * starting.
 */
public final class Simulator {
    private final JobModel model;
    private final Trace trace;
    private final int zones;
    private final int warmUpTicks;

    /** A simulator that shows each policy the 48 hours of market before its window (what a controller saw). */
    public Simulator(JobModel model) {
        this(model, 48);
    }

    public Simulator(JobModel model, double warmUpHours) {
        this.model = model;
        this.warmUpTicks = (int) Math.round(warmUpHours / model.tickHours());
        this.trace = model.trace();
        this.zones = trace.zoneCount();
    }

    public JobModel model() {
        return model;
    }

    /** Runs {@code policy} on the window starting at trace tick {@code start}. */
    public RunResult run(int start, SchedulingPolicy policy, boolean recordTimeline) {
        int deadline = model.deadlineTicks();
        if (start < 0 || start + deadline > trace.ticks()) {
            throw SpotkeeperException.invalidArgument("window starting at tick " + start + " needs " + deadline
                    + " ticks but the trace " + trace.source() + " has " + trace.ticks());
        }
        double g = model.tickHours();
        for (int past = Math.max(0, start - warmUpTicks); past < start; past++) {
            policy.observeMarket(g, views(past));
        }
        int[] timeline = recordTimeline ? new int[deadline] : null;
        if (timeline != null) {
            Arrays.fill(timeline, RunResult.DONE);
        }
        Job job = new Job();
        int t = 0;
        for (; t < deadline && job.progress < model.workTicks(); t++) {
            int now = start + t;
            boolean preempted = job.preemptIfLost(now);
            Observation o = observe(t, now, job.holding, preempted, job.overheadLeft, job.checkpoint, job.progress);
            int wanted = code(policy.decide(o), policy);
            if (wanted >= 0 && wanted < zones && !trace.available(wanted, now)) {
                wanted = RunResult.NONE;
            }
            if (wanted != job.holding) {
                job.switchTo(wanted);
            }
            job.advance(now);
            if (timeline != null) {
                timeline[t] = job.holding;
            }
        }
        boolean missed = job.progress < model.workTicks();
        if (missed) {
            job.finishAfterDeadline();
        }
        return new RunResult(policy.name(), start, job.cost, missed, job.migrations, job.preemptions,
                job.spotTicks * g, job.onDemandTicks * g, (missed ? deadline : t) * g, timeline);
    }

    /** The state of one job during a run, and the rules that change it. */
    private final class Job {
        int holding = RunResult.NONE;
        int overheadLeft;
        int checkpoint = -1;
        int lastPlace = RunResult.NONE;
        int progress;
        int migrations;
        int preemptions;
        int spotTicks;
        int onDemandTicks;
        double cost;

        /** A held spot instance whose zone has no spot at this tick is reclaimed; progress is kept. */
        boolean preemptIfLost(int now) {
            if (holding >= 0 && holding < zones && !trace.available(holding, now)) {
                holding = RunResult.NONE;
                overheadLeft = 0;
                preemptions++;
                return true;
            }
            return false;
        }

        /** Releases what is held and starts {@code wanted}: egress now, overhead ticks from this one. */
        void switchTo(int wanted) {
            holding = wanted;
            overheadLeft = 0;
            if (holding < 0) {
                return;
            }
            int region = regionOf(holding);
            cost += model.egress(checkpoint, region);
            overheadLeft = model.startTicks(checkpoint, region);
            if (lastPlace != RunResult.NONE && lastPlace != holding) {
                migrations++;
            }
            lastPlace = holding;
            if (overheadLeft == 0) {
                checkpoint = region;
            }
        }

        /** Bills the tick; a starting instance pays overhead, a warm one makes progress. */
        void advance(int now) {
            if (holding < 0) {
                return;
            }
            if (holding < zones) {
                cost += trace.price(holding, now) * model.tickHours();
                spotTicks++;
            } else {
                cost += model.onDemandTickCost();
                onDemandTicks++;
            }
            if (overheadLeft > 0) {
                overheadLeft--;
                if (overheadLeft == 0) {
                    checkpoint = regionOf(holding);
                }
            } else {
                progress++;
            }
        }

        /** The job still has to finish: on on-demand after the deadline, so a miss is never cheap. */
        void finishAfterDeadline() {
            int home = checkpoint >= 0 ? checkpoint : 0;
            boolean onDemandHeld = holding >= zones;
            int extra = model.workTicks() - progress + (onDemandHeld ? overheadLeft : model.startTicks(checkpoint, home));
            cost += extra * model.onDemandTickCost();
            onDemandTicks += extra;
        }
    }

    private int regionOf(int holding) {
        return holding < zones ? model.regionOfZone(holding) : holding - zones;
    }

    private Observation observe(int t, int now, int holding, boolean preempted, int overheadLeft, int checkpoint,
                                int progress) {
        List<ZoneView> views = views(now);
        double g = model.tickHours();
        Decision held = Decision.NONE;
        if (holding >= 0) {
            held = holding < zones ? Decision.spot(trace.zones().get(holding))
                    : Decision.onDemand(model.regions().get(holding - zones));
        }
        Optional<String> region = checkpoint < 0 ? Optional.empty() : Optional.of(model.regions().get(checkpoint));
        return new Observation(t, g, views, trace.onDemandPrice(), held, preempted, overheadLeft * g, region,
                progress * g, (model.workTicks() - progress) * g, (model.deadlineTicks() - t) * g, model);
    }

    private List<ZoneView> views(int now) {
        List<ZoneView> views = new ArrayList<>(zones);
        for (int z = 0; z < zones; z++) {
            views.add(new ZoneView(trace.zones().get(z), trace.regions().get(z), trace.available(z, now),
                    trace.price(z, now)));
        }
        return views;
    }

    private int code(Decision d, SchedulingPolicy policy) {
        if (d instanceof Decision.Spot s) {
            int z = trace.zones().indexOf(s.zone());
            if (z < 0) {
                throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "policy " + policy.name()
                        + " chose zone " + s.zone() + " which the scenario does not offer");
            }
            return z;
        }
        if (d instanceof Decision.OnDemand od) {
            int r = model.regionIndex(od.region());
            if (r < 0) {
                throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "policy " + policy.name()
                        + " chose on-demand in region " + od.region() + " which the scenario does not offer");
            }
            return zones + r;
        }
        return RunResult.NONE;
    }
}
