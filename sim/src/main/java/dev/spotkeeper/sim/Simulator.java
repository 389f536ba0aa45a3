package dev.spotkeeper.sim;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.policy.Decision;
import dev.spotkeeper.core.policy.Observation;
import dev.spotkeeper.core.policy.SchedulingPolicy;
import dev.spotkeeper.core.policy.SpotAvailability;
import dev.spotkeeper.core.policy.ZoneView;
import dev.spotkeeper.sim.trace.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Drives one policy through one window of a trace on a virtual clock, one tick at a time. At each tick: a held
 * spot instance whose zone became unavailable is preempted (progress kept); the policy decides; a new start
 * pays egress when the checkpoint changes region and then restart-overhead ticks (billed, no progress); a warm
 * instance makes one tick of progress. The checkpoint moves to a region once an instance there finished
 * starting.
 *
 * <p>With {@link Information#HONEST} the policy sees prices, hints, its own instance and the answers to its own
 * launches: a spot launch where spot cannot be had is refused, costs the launch latency (what is held keeps
 * running), and the policy is asked again within the same tick with that zone shown unavailable. Refusals of one
 * tick add up: a start after them begins that much later (its overhead is rounded up to whole ticks from there),
 * and once they fill a tick the tick passes. With {@link Information#ALL_SEEING} every zone's availability is
 * shown and a spot request where there is none holds nothing, as in the first version of the simulator.
 *
 * <p>With a hand-over ({@link JobModel#handOver()}), a start made while a warm on-demand instance is held keeps it
 * running: both are billed, the on-demand instance makes the progress and holds the checkpoint until the new one
 * has started, and is released then. A spot instance lost while it starts leaves the job on the on-demand one; asking
 * for that on-demand region again while the other starts cancels the start.
 */
public final class Simulator {
    private final JobModel model;
    private final Trace trace;
    private final int zones;
    private final int warmUpTicks;
    private final Information information;
    private final double latencySeconds;
    private final Map<String, Double> onDemandPrices;

    /** A simulator that shows each policy the 48 hours of market before its window (what a controller saw). */
    public Simulator(JobModel model, Information information, double launchLatencySeconds) {
        this(model, information, 48, launchLatencySeconds);
    }

    public Simulator(JobModel model, Information information, double warmUpHours, double launchLatencySeconds) {
        this.model = model;
        this.information = information;
        this.latencySeconds = launchLatencySeconds;
        this.warmUpTicks = (int) Math.round(warmUpHours / model.tickHours());
        this.trace = model.trace();
        this.zones = trace.zoneCount();
        this.onDemandPrices = model.onDemandPrices();
    }

    public JobModel model() {
        return model;
    }

    public Information information() {
        return information;
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
            policy.observeMarket(g, views(past, null, null));
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
            int wanted = ask(policy, job, t, now, preempted);
            if (wanted != job.holding) {
                job.switchTo(wanted);
            }
            job.advance(now);
            job.endTick();
            if (timeline != null) {
                timeline[t] = job.holding;
            }
        }
        boolean missed = job.progress < model.workTicks();
        if (missed) {
            job.finishAfterDeadline();
        }
        return new RunResult(policy.name(), start, job.cost, missed, job.migrations, job.preemptions, job.refused,
                job.spotTicks * g, job.onDemandTicks * g, (missed ? deadline : t) * g,
                String.join("+", job.onDemandRegions), timeline);
    }

    /**
     * The policy's decision for tick {@code t}: asked again after each refused launch while the refusals have not
     * used up the tick, and at most once per zone (a second request for a zone refused this tick ends the asking).
     */
    private int ask(SchedulingPolicy policy, Job job, int t, int now, boolean preempted) {
        boolean[] refused = new boolean[zones];
        for (int attempt = 0; ; attempt++) {
            Observation o = observe(t, now, job, preempted, refused, attempt);
            int wanted = code(policy.decide(o), policy);
            boolean launch = wanted >= 0 && wanted < zones && wanted != job.holding;
            if (!launch || trace.available(wanted, now)) {
                return wanted;
            }
            if (information == Information.ALL_SEEING) {
                return RunResult.NONE;
            }
            job.refused++;
            if (refused[wanted]) {
                return job.holding;
            }
            refused[wanted] = true;
            job.launchDelay += latencySeconds;
            if (job.launchDelay >= trace.gapSeconds()) {
                return job.holding;
            }
        }
    }

    /** The state of one job during a run, and the rules that change it. */
    private final class Job {
        int holding = RunResult.NONE;
        /** The warm on-demand place that keeps running while {@link #holding} starts; NONE when there is none. */
        int bridge = RunResult.NONE;
        int overheadLeft;
        int checkpoint = -1;
        int lastPlace = RunResult.NONE;
        int lost = RunResult.NONE;
        int progress;
        int migrations;
        int preemptions;
        int refused;
        int spotTicks;
        int onDemandTicks;
        double cost;
        /** Seconds of the current tick spent waiting on refused launches (carried over when past a tick). */
        double launchDelay;
        final Set<String> onDemandRegions = new LinkedHashSet<>();

        /** A held spot instance whose zone has no spot at this tick is reclaimed; progress is kept. */
        boolean preemptIfLost(int now) {
            lost = RunResult.NONE;
            if (holding >= 0 && holding < zones && !trace.available(holding, now)) {
                lost = holding;
                holding = bridge;
                bridge = RunResult.NONE;
                overheadLeft = 0;
                preemptions++;
                return true;
            }
            return false;
        }

        /** Releases what is held and starts {@code wanted}: egress now, overhead ticks from this one. */
        void switchTo(int wanted) {
            if (bridge >= 0 && wanted == bridge) {
                // Back to the on-demand instance that kept running: the start is dropped, nothing restarts.
                holding = bridge;
                lastPlace = bridge;
                bridge = RunResult.NONE;
                overheadLeft = 0;
                return;
            }
            if (bridge < 0 && model.handOver() && wanted >= 0 && holding >= zones && overheadLeft == 0) {
                bridge = holding;
            }
            if (wanted < 0) {
                bridge = RunResult.NONE;
            }
            holding = wanted;
            overheadLeft = 0;
            if (holding < 0) {
                return;
            }
            int region = regionOf(holding);
            cost += model.egress(checkpoint, region);
            overheadLeft = model.startTicks(checkpoint, region, launchDelay);
            if (lastPlace != RunResult.NONE && lastPlace != holding) {
                migrations++;
            }
            lastPlace = holding;
            if (overheadLeft == 0) {
                checkpoint = region;
                bridge = RunResult.NONE;
            }
        }

        /** Bills the tick; a starting instance pays overhead, a warm one makes progress. */
        void advance(int now) {
            if (holding < 0) {
                return;
            }
            if (bridge >= 0) {
                cost += model.onDemandTickCost(bridge - zones);
                onDemandTicks++;
                onDemandRegions.add(model.regions().get(bridge - zones));
                progress++;
            }
            if (holding < zones) {
                cost += trace.price(holding, now) * model.tickHours();
                spotTicks++;
            } else {
                cost += model.onDemandTickCost(holding - zones);
                onDemandTicks++;
                onDemandRegions.add(model.regions().get(holding - zones));
            }
            if (overheadLeft > 0) {
                overheadLeft--;
                if (overheadLeft == 0) {
                    checkpoint = regionOf(holding);
                    bridge = RunResult.NONE;
                }
            } else {
                progress++;
            }
        }

        /** Refusals that filled the tick spill into the next one; otherwise the next tick starts afresh. */
        void endTick() {
            launchDelay = launchDelay >= trace.gapSeconds() ? launchDelay - trace.gapSeconds() : 0;
        }

        /** The job still has to finish: on on-demand after the deadline, so a miss is never cheap. */
        void finishAfterDeadline() {
            if (bridge >= 0) {
                holding = bridge;
                bridge = RunResult.NONE;
                overheadLeft = 0;
            }
            int home = checkpoint >= 0 ? checkpoint : model.cheapestOnDemandRegion();
            boolean onDemandHeld = holding >= zones;
            int region = onDemandHeld ? holding - zones : home;
            int extra = model.workTicks() - progress + (onDemandHeld ? overheadLeft : model.startTicks(checkpoint, home));
            cost += extra * model.onDemandTickCost(region);
            onDemandTicks += extra;
            onDemandRegions.add(model.regions().get(region));
        }
    }

    private int regionOf(int holding) {
        return holding < zones ? model.regionOfZone(holding) : holding - zones;
    }

    private Observation observe(int t, int now, Job job, boolean preempted, boolean[] refused, int attempt) {
        List<ZoneView> views = views(now, job, refused);
        double g = model.tickHours();
        Decision held = Decision.NONE;
        if (job.holding >= 0) {
            held = job.holding < zones ? Decision.spot(trace.zones().get(job.holding))
                    : Decision.onDemand(model.regions().get(job.holding - zones));
        }
        Optional<String> region = job.checkpoint < 0 ? Optional.empty()
                : Optional.of(model.regions().get(job.checkpoint));
        double latencyHours = information == Information.HONEST ? latencySeconds / 3600 : 0;
        return new Observation(t, g, views, onDemandPrices, held, preempted, job.overheadLeft * g, region,
                job.progress * g, (model.workTicks() - job.progress) * g, (model.deadlineTicks() - t) * g,
                model.delayedBy(job.launchDelay), attempt, latencyHours, model.handOver());
    }

    /**
     * The zones at trace tick {@code now}. Before the job ({@code job} null) the honest view shows prices only;
     * during it, the held zone, the zone just lost and the zones refused this tick.
     */
    private List<ZoneView> views(int now, Job job, boolean[] refused) {
        List<ZoneView> views = new ArrayList<>(zones);
        for (int z = 0; z < zones; z++) {
            SpotAvailability a;
            if (information == Information.ALL_SEEING) {
                a = trace.available(z, now) ? SpotAvailability.AVAILABLE : SpotAvailability.UNAVAILABLE;
            } else if (job == null) {
                a = SpotAvailability.UNKNOWN;
            } else if (z == job.holding) {
                a = SpotAvailability.AVAILABLE;
            } else if (z == job.lost || refused[z]) {
                a = SpotAvailability.UNAVAILABLE;
            } else {
                a = SpotAvailability.UNKNOWN;
            }
            views.add(new ZoneView(trace.zones().get(z), trace.regions().get(z), a, trace.price(z, now),
                    trace.score(z, now)));
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
