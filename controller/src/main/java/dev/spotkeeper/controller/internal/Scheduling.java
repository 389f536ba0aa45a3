package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.market.PoolSignals;
import dev.spotkeeper.core.policy.Decision;
import dev.spotkeeper.core.policy.MoveCosts;
import dev.spotkeeper.core.policy.Observation;
import dev.spotkeeper.core.policy.Policies;
import dev.spotkeeper.core.policy.SchedulingPolicy;
import dev.spotkeeper.core.policy.SpotAvailability;
import dev.spotkeeper.core.policy.ZoneView;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.PolicyState;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Asks the configured {@link SchedulingPolicy} what a workload with a deadline should hold, with the deadline rule
 * under it as a safety net: whatever the policy says, on-demand when only on-demand can still meet the deadline.
 * One policy instance per workload, kept for the life of this controller process; what it decided (and when, and
 * for what was held) is stored with the workload's policy state, so a restarted controller, or a second one on the
 * same store, keeps that decision for the rest of its tick instead of asking a fresh policy.
 *
 * <p>The policy is asked at most once per {@link #TICK}, and again at once when what the workload holds changes
 * (an instance is going and a new one must be launched), because a policy's decision holds for one tick.
 */
final class Scheduling {
    /** The policy's tick: the replay's tick, long enough that a reconcile every second does not flood its history. */
    static final Duration TICK = Duration.ofMinutes(5);

    /** The merged decision and whether the deadline is at risk (only on-demand, started now, still meets it). */
    record Verdict(Decision decision, boolean deadlineAtRisk) {
    }

    private static final class State {
        SchedulingPolicy policy;
        int tick;
        Instant askedAt;
        Decision holding;
        Decision asked = Decision.NONE;
        Decision merged;
        /** When a hand-over's spot launch was last refused: not tried again before the next tick. */
        Instant handOverRefusedAt;
    }

    private final Context ctx;
    private final Map<String, State> states = new HashMap<>();

    Scheduling(Context ctx) {
        this.ctx = ctx;
    }

    /** For the next launch of {@code w} (it holds nothing that will go on); {@code avoid}: pools being left. */
    synchronized Verdict forLaunch(WorkloadRecord w, WorkloadSpec spec, List<PoolSignals> candidates,
                                   Set<String> avoid, String replaces, Instant now) {
        boolean preempted = !replaces.isEmpty() && ctx.store.instance(replaces)
                .filter(InstanceRecord::spot)
                .map(r -> ctx.memory.sinceLastInterruption(Moves.pool(r.poolKey()), now).isPresent())
                .orElse(false);
        return decide(w, spec, candidates, avoid, Decision.NONE, preempted, 0, now);
    }

    /** For the instance {@code head} that runs the work now. */
    synchronized Verdict forRunning(WorkloadRecord w, WorkloadSpec spec, List<PoolSignals> candidates,
                                    InstanceRecord head, Instant now) {
        String[] key = head.poolKey().split("/", 3);
        Decision holding = head.spot() ? Decision.spot(key[1]) : Decision.onDemand(key[0]);
        // An instance within its restart overhead of its launch is still starting (the policy does not leave an
        // on-demand instance that is still starting: that would waste its start).
        double starting = Math.max(0, hours(ctx.config.restartOverhead()) - hours(Duration.between(head.launchedAt(),
                now)));
        return decide(w, spec, candidates, Set.of(), holding, false, starting, now);
    }

    /** A hand-over's spot launch was refused at {@code now}: none is tried again for the workload before the next tick. */
    synchronized void handOverRefused(String workload, Instant now) {
        states.computeIfAbsent(workload, k -> new State()).handOverRefusedAt = now;
    }

    /** True while a refused hand-over launch holds further ones off (until a tick has passed since). */
    synchronized boolean handOverHeldOff(String workload, Instant now) {
        State s = states.get(workload);
        return s != null && s.handOverRefusedAt != null && now.isBefore(s.handOverRefusedAt.plus(TICK));
    }

    /** True when the last decision for the workload was to hold nothing. */
    synchronized boolean holdingOff(String workload) {
        State s = states.get(workload);
        return s != null && s.merged instanceof Decision.None;
    }

    private Verdict decide(WorkloadRecord w, WorkloadSpec spec, List<PoolSignals> candidates, Set<String> avoid,
                           Decision holding, boolean preempted, double overheadLeftHours, Instant now) {
        List<InstanceRecord> history = ctx.store.instances(w.name());
        State s = states.computeIfAbsent(w.name(), k -> new State());
        PolicyState stored = ctx.store.policyState(w.name()).orElse(PolicyState.NONE);
        adopt(s, stored);
        if (s.policy == null) {
            s.policy = Policies.create(ctx.config.schedulingPolicy(), candidates.get(0).pool().zone());
        }
        Observation o = observe(w, spec, candidates, avoid, history, holding, preempted, overheadLeftHours, s.tick,
                now);
        boolean asking = s.askedAt == null || !now.isBefore(s.askedAt.plus(TICK)) || !holding.equals(s.holding);
        if (asking) {
            s.asked = s.policy.decide(o);
            s.askedAt = now;
            s.holding = holding;
            s.tick++;
        }
        boolean safetyNet = DeadlineRule.needsOnDemand(spec, w, history, now, ctx.config.restartOverhead());
        Decision merged = safetyNet && !(s.asked instanceof Decision.OnDemand) ? Decision.onDemand(o.homeRegion())
                : s.asked;
        if (!merged.equals(s.merged)) {
            ctx.journal.note(w.name(), "", Kind.SCHEDULED, String.format(java.util.Locale.ROOT,
                    "%s (policy %s%s; %.2f h of work left, %.2f h to the deadline)", describe(merged),
                    s.policy.name(), merged == s.asked ? "" : ", overridden by the deadline rule",
                    o.workLeftHours(), o.timeLeftHours()), scheduledFields(s.merged, merged, merged == s.asked,
                    spec, w));
            s.merged = merged;
            asking = true;
        }
        if (asking) {
            persist(w.name(), s);
        }
        return new Verdict(merged, safetyNet || o.mustRunOnDemand());
    }

    /**
     * Takes over what the store holds when it was decided after what this controller knows: a restarted
     * controller, or another one on the same store, then keeps the decision made for this tick instead of asking a
     * policy of its own that has not seen the workload's history.
     */
    private static void adopt(State s, PolicyState stored) {
        if (stored.askedAt().isEmpty() || (s.askedAt != null && !stored.askedAt().get().isAfter(s.askedAt))) {
            return;
        }
        s.tick = stored.tick();
        s.askedAt = stored.askedAt().get();
        s.holding = decode(stored.holding());
        s.asked = Optional.ofNullable(decode(stored.asked())).orElse(Decision.NONE);
        s.merged = decode(stored.merged());
    }

    /** Stores the decision with the workload's policy state (its pool memory kept), retrying a lost race. */
    private void persist(String workload, State s) {
        for (int i = 0; i < 5; i++) {
            PolicyState current = ctx.store.policyState(workload).orElse(PolicyState.NONE);
            PolicyState next = current.withDecision(s.tick, s.askedAt, encode(s.holding), encode(s.asked),
                    encode(s.merged));
            if (next.equals(current) || ctx.store.updatePolicyState(workload, next)) {
                return;
            }
        }
    }

    /** {@code spot:<zone>}, {@code on-demand:<region>}, {@code none}; empty for no decision. */
    static String encode(Decision d) {
        if (d == null) {
            return "";
        }
        if (d instanceof Decision.Spot spot) {
            return "spot:" + spot.zone();
        }
        if (d instanceof Decision.OnDemand od) {
            return "on-demand:" + od.region();
        }
        return "none";
    }

    static Decision decode(String text) {
        if (text.startsWith("spot:")) {
            return Decision.spot(text.substring("spot:".length()));
        }
        if (text.startsWith("on-demand:")) {
            return Decision.onDemand(text.substring("on-demand:".length()));
        }
        return text.equals("none") ? Decision.NONE : null;
    }

    private Observation observe(WorkloadRecord w, WorkloadSpec spec, List<PoolSignals> candidates, Set<String> avoid,
                                List<InstanceRecord> history, Decision holding, boolean preempted,
                                double overheadLeftHours, int tick, Instant now) {
        double tickHours = hours(TICK);
        double overhead = hours(ctx.config.restartOverhead());
        double timeLeft = hours(Duration.between(now, w.submittedAt().plus(spec.deadline().orElseThrow())));
        double spent = hours(DeadlineRule.computeSpent(history, now));
        double p = w.progress();
        // With a progress report p the whole job is estimated at spent / p (restarts included, so work left is
        // overestimated: the safe side). Without one, done is the time run so far and the job is assumed to need
        // half the time left: the policy keeps the other half as slack, which shrinks to the deadline rule's two
        // restart overheads as the deadline nears.
        double done = spent;
        double left = p > 0 && p < 1 ? spent * (1 - p) / p : p >= 1 ? 0 : Math.max(0, timeLeft / 2);
        Optional<String> checkpointRegion = history.isEmpty() ? Optional.empty()
                : Optional.of(Moves.region(history.get(history.size() - 1)));
        MoveCosts moves = new MoveCosts() {
            @Override
            public double egressDollars(String fromRegion, String toRegion) {
                return 0; // transfer is not priced yet (see docs/controller.md)
            }

            @Override
            public double startOverheadHours(String fromRegion, String toRegion) {
                return overhead;
            }
        };
        Map<String, Double> onDemand = new LinkedHashMap<>();
        for (PoolSignals c : candidates) {
            onDemand.merge(c.pool().region(), Launcher.onDemandPrice(c), Math::min);
        }
        // handOver: a spot start from a running on-demand instance is a hand-over here (PlanExecutor#handOver): the
        // on-demand instance runs the job until the spot one has started, and stays if that one is lost or refused.
        return new Observation(tick, tickHours, zones(candidates, avoid, holding, now), onDemand, holding, preempted,
                overheadLeftHours, checkpointRegion, done, Math.max(left, tickHours), timeLeft, moves, 0, 0, true);
    }

    /**
     * The candidate pools as the policy's zones, best ranked first, as a controller can know them: a zone's price is
     * its cheapest candidate's spot price and its hint their best placement score; spot is known there only in the
     * zone held, known gone where every candidate interrupted us (or refused capacity) lately or is being left, and
     * otherwise unknown until a launch asks.
     */
    private List<ZoneView> zones(List<PoolSignals> candidates, Set<String> avoid, Decision holding, Instant now) {
        Map<String, ZoneView> byZone = new LinkedHashMap<>();
        for (PoolSignals c : candidates) {
            boolean gone = avoid.contains(c.pool().key()) || ctx.memory.sinceLastInterruption(c.pool(), now).isPresent();
            boolean held = holding instanceof Decision.Spot s && s.zone().equals(c.pool().zone());
            SpotAvailability a = held ? SpotAvailability.AVAILABLE : gone ? SpotAvailability.UNAVAILABLE
                    : SpotAvailability.UNKNOWN;
            byZone.merge(c.pool().zone(), new ZoneView(c.pool().zone(), c.pool().region(), a, c.spotPrice(),
                    c.placementScore()), Scheduling::either);
        }
        return new ArrayList<>(byZone.values());
    }

    /** Two candidates of one zone: the better knowledge of spot, the lower price, the better hint. */
    private static ZoneView either(ZoneView a, ZoneView b) {
        SpotAvailability known = a.available() || b.available() ? SpotAvailability.AVAILABLE
                : a.mayHaveSpot() || b.mayHaveSpot() ? SpotAvailability.UNKNOWN : SpotAvailability.UNAVAILABLE;
        return new ZoneView(a.zone(), a.region(), known, Math.min(a.spotPrice(), b.spotPrice()),
                Math.max(a.placementScore(), b.placementScore()));
    }

    /**
     * A decision's typed fields: from the last decision to this one ({@code spot}, {@code on-demand} or
     * {@code none}; nothing before the first), why ({@code policy}, or {@code deadline} when the deadline rule
     * overrode it) and, for a workload with a deadline, the deadline.
     */
    private static dev.spotkeeper.core.store.EventFields scheduledFields(Decision before, Decision now,
                                                                         boolean byPolicy, WorkloadSpec spec,
                                                                         WorkloadRecord w) {
        dev.spotkeeper.core.store.EventFields f = dev.spotkeeper.core.store.EventFields.NONE.withMove(
                before == null ? "" : code(before), code(now), byPolicy ? "policy" : "deadline");
        Optional<Instant> deadline = spec.deadline().map(d -> w.submittedAt().plus(d));
        return deadline.map(f::withDeadline).orElse(f);
    }

    /** The capacity a decision takes: {@code spot}, {@code on-demand} or {@code none}. */
    static String code(Decision d) {
        return d instanceof Decision.Spot ? "spot" : d instanceof Decision.OnDemand ? "on-demand" : "none";
    }

    private static String describe(Decision d) {
        if (d instanceof Decision.Spot s) {
            return "spot, preferring " + s.zone();
        }
        if (d instanceof Decision.OnDemand od) {
            return "on-demand in " + od.region();
        }
        return "no launch for now";
    }

    private static double hours(Duration d) {
        return d.toMillis() / 3_600_000.0;
    }
}
