package dev.spotkeeper.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spotkeeper.core.policy.FailoverPolicy;
import dev.spotkeeper.core.policy.GreedyPolicy;
import dev.spotkeeper.core.policy.OnDemandOnlyPolicy;
import dev.spotkeeper.core.policy.SchedulingPolicy;
import dev.spotkeeper.core.policy.SpotOneZonePolicy;
import dev.spotkeeper.core.policy.SpotkeeperPolicy;
import dev.spotkeeper.core.policy.UniformProgressPolicy;
import dev.spotkeeper.sim.trace.Trace;
import org.junit.jupiter.api.Test;

/**
 * One-hour ticks, a 3-hour job due in 6 hours, a 1-hour restart, on-demand $3/h, no checkpoint to move.
 * us-east-1a ($1/h) is available at ticks 0,1,4,5; us-west-2a ($1.5/h) at ticks 1..5. Costs worked out below.
 */
class HandWorkedCostTest {
    private static final Trace TRACE = TinyTraces.of(3600, 3.0, "us-east-1a:110011:1.0", "us-west-2a:011111:1.5");
    private static final JobSpec JOB = new JobSpec(3, 6, 1, 0);
    private final Simulator simulator = new Simulator(new JobModel(TRACE, JOB, Network.AWS_B2), Information.ALL_SEEING, 0, 0);

    private RunResult run(SchedulingPolicy policy) {
        return simulator.run(0, policy, true);
    }

    @Test
    void onDemand_paysOneRestartAndThreeHours() {
        RunResult r = run(new OnDemandOnlyPolicy());
        // 1 h restart + 3 h work, all at $3.
        assertThat(r.cost()).isCloseTo(12.0, within(1e-9));
        assertThat(r.missed()).isFalse();
        assertThat(r.finishHours()).isCloseTo(4.0, within(1e-9));
    }

    @Test
    void spotOneZone_missesAndPaysOnDemandAfterTheDeadline() {
        RunResult r = run(new SpotOneZonePolicy("us-east-1a"));
        // t0 restart $1, t1 work $1, t2 preempted, t3 idle, t4 restart $1, t5 work $1: 2 of 3 hours done.
        // After the deadline: 1 h restart + 1 h work on on-demand = $6.
        assertThat(r.missed()).isTrue();
        assertThat(r.cost()).isCloseTo(4.0 + 6.0, within(1e-9));
        assertThat(r.preemptions()).isEqualTo(1);
    }

    @Test
    void greedy_waitsThenSwitchesToOnDemandWhenTheSlackRunsOut() {
        RunResult r = run(new GreedyPolicy("us-east-1a"));
        // t0 restart $1, t1 work $1, t2 preempted with slack 1 h: wait; t3 slack 0: on-demand restart $3,
        // t4 and t5 work $3 each.
        assertThat(r.cost()).isCloseTo(11.0, within(1e-9));
        assertThat(r.missed()).isFalse();
        assertThat(r.onDemandHours()).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void uniformProgress_takesTheSafetyNetWhenSlackFallsUnderTwoRestarts() {
        RunResult r = run(new UniformProgressPolicy("us-east-1a"));
        // t0, t1 as greedy; t2 on the progress line (1 h done, 1 h expected): wait; t3 slack 3-2 = 1 h < 2 h:
        // on-demand to the end: $3 × 3.
        assertThat(r.cost()).isCloseTo(11.0, within(1e-9));
        assertThat(r.missed()).isFalse();
    }

    @Test
    void failover_movesToTheOtherZoneOnPreemption_thenTakesTheSafetyNet() {
        RunResult r = run(new FailoverPolicy());
        // t0 restart in 1a $1 (the only zone up), t1 work $1, t2 preempted: us-west-2a restart $1.5. At t3 the
        // slack is 3 h left − 2 h work − 1 h restart = 0: a preemption now would miss, so on-demand: restart
        // $3, then two hours at $3.
        assertThat(r.cost()).isCloseTo(2.0 + 1.5 + 3 * 3.0, within(1e-9));
        assertThat(r.migrations()).isEqualTo(2);
        assertThat(r.missed()).isFalse();
    }

    @Test
    void optimum_findsTheCheapestScheduleAndReplaysAtItsOwnCost() {
        OfflineOptimum.Plan plan = new OfflineOptimum(simulator.model()).solve(0);
        // Every schedule needs 3 h of work plus at least one restart within the 6 h. The cheapest: 1a for a
        // restart and an hour ($2), then us-west-2a for a restart and two hours ($4.5) = $6.5; staying on 1a
        // can only do 2 h by the deadline; 2a alone costs 4 × $1.5 = $6, the cheapest.
        assertThat(plan.cost()).isCloseTo(6.0, within(1e-9));
        RunResult r = run(new OptimalPolicy(plan));
        assertThat(r.cost()).isCloseTo(plan.cost(), within(1e-9));
        assertThat(r.missed()).isFalse();
    }

    @Test
    void everyPolicy_onOneZoneAlwaysAvailable_paysOneRestartAndTheWork() {
        Trace calm = TinyTraces.of(3600, 3.0, "us-east-1a:111111:1.0");
        Simulator sim = new Simulator(new JobModel(calm, JOB, Network.AWS_B2), Information.ALL_SEEING, 0, 0);
        for (SchedulingPolicy p : new SchedulingPolicy[] {new SpotkeeperPolicy(), new FailoverPolicy(),
            new GreedyPolicy("us-east-1a"), new SpotOneZonePolicy("us-east-1a")}) {
            assertThat(sim.run(0, p, false).cost()).as(p.name()).isCloseTo(4 * 1.0, within(1e-9));
        }
    }

    @Test
    void crossRegionMove_paysEgressAndTheExtraTransferTick() {
        // One-minute ticks; 0.1 h of work (6 ticks), 1 h deadline, 0.2 h restart (12 ticks), 50 GB checkpoint.
        // us-east-1a ($1.2/h) up for ticks 0..14, us-west-2a ($0.6/h) from tick 15.
        Trace t = TinyTraces.of(60, 3.0, "us-east-1a:" + "1".repeat(15) + "0".repeat(45) + ":1.2",
                "us-west-2a:" + "0".repeat(15) + "1".repeat(45) + ":0.6");
        JobModel model = new JobModel(t, new JobSpec(0.1, 1, 0.2, 50), Network.AWS_B2);
        // The copy across regions adds 50 GB × 8 / 8.20 − 50 × 8 / 9.72 ≈ 7.6 s, so the start takes 13 ticks.
        assertThat(model.startTicks(model.regionIndex("us-east-1"), model.regionIndex("us-west-2"))).isEqualTo(13);
        RunResult r = new Simulator(model, Information.ALL_SEEING, 0, 0).run(0, new FailoverPolicy(), false);
        // east: 12 restart + 3 work ticks = 15 × $1.2/60; west: $1 egress (50 GB × $0.02) + 13 + 3 ticks × $0.6/60.
        assertThat(r.cost()).isCloseTo(15 * 1.2 / 60 + 1.0 + 16 * 0.6 / 60, within(1e-9));
        assertThat(r.finishHours()).isCloseTo(31 / 60.0, within(1e-9));
    }
}
