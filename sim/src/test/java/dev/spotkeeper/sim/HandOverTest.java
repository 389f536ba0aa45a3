package dev.spotkeeper.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spotkeeper.core.policy.Decision;
import dev.spotkeeper.core.policy.Observation;
import dev.spotkeeper.core.policy.SchedulingPolicy;
import dev.spotkeeper.core.policy.SpotkeeperPolicy;
import dev.spotkeeper.sim.trace.Trace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hand-over from on-demand: one-hour ticks, a 1-hour restart, on-demand $3/h in us-east-1, spot $1/h in
 * us-east-1a. Costs worked out by hand in each test.
 */
class HandOverTest {
    /** Decides from a fixed script, one decision per tick, and records what it was shown. */
    private static final class Script implements SchedulingPolicy {
        private final Decision[] decisions;
        final List<Observation> seen = new ArrayList<>();

        Script(Decision... decisions) {
            this.decisions = decisions;
        }

        @Override
        public String name() {
            return "script";
        }

        @Override
        public Decision decide(Observation o) {
            seen.add(o);
            return o.tick() < decisions.length ? decisions[o.tick()] : decisions[decisions.length - 1];
        }
    }

    private static final Decision OD = Decision.onDemand("us-east-1");
    private static final Decision SPOT = Decision.spot("us-east-1a");

    private static Simulator simulator(String availability, JobSpec job, boolean handOver) {
        Trace trace = TinyTraces.of(3600, 3.0, "us-east-1a:" + availability + ":1.0");
        return new Simulator(new JobModel(trace, job, Network.AWS_B2, handOver), Information.ALL_SEEING, 0, 0);
    }

    @Test
    void onDemandKeepsMakingProgressWhileSpotStarts_bothBilled() {
        JobSpec job = new JobSpec(3, 6, 1, 0);
        Script script = new Script(OD, OD, SPOT);
        RunResult with = simulator("001111", job, true).run(0, script, false);
        // t0 on-demand restart $3, t1 on-demand work $3; t2 spot starts ($1) while on-demand works ($3);
        // t3 spot works ($1): 3 hours done at 4 h.
        assertThat(with.cost()).isCloseTo(11.0, within(1e-9));
        assertThat(with.finishHours()).isCloseTo(4.0, within(1e-9));
        assertThat(with.onDemandHours()).isCloseTo(3.0, within(1e-9));
        assertThat(with.spotHours()).isCloseTo(2.0, within(1e-9));
        assertThat(script.seen.get(2).handOver()).isTrue();

        RunResult without = simulator("001111", job, false).run(0, new Script(OD, OD, SPOT), false);
        // Released first: t2 spot restart $1, t3 and t4 spot work $1 each: done at 5 h.
        assertThat(without.cost()).isCloseTo(9.0, within(1e-9));
        assertThat(without.finishHours()).isCloseTo(5.0, within(1e-9));
    }

    @Test
    void spotLostWhileStarting_leavesTheJobOnOnDemandWithNoRestart() {
        JobSpec job = new JobSpec(3, 8, 2, 0);
        Script script = new Script(OD, OD, OD, SPOT, OD);
        RunResult r = simulator("00110000", job, true).run(0, script, false);
        // 2-hour restart: t0, t1 on-demand restart $6, t2 work $3, t3 work $3 + spot starting $1, t4 spot gone
        // before it started: on-demand works on ($3): done at 5 h.
        assertThat(r.cost()).isCloseTo(16.0, within(1e-9));
        assertThat(r.finishHours()).isCloseTo(5.0, within(1e-9));
        assertThat(r.preemptions()).isEqualTo(1);
        Observation after = script.seen.get(4);
        assertThat(after.holding()).isEqualTo(OD);
        assertThat(after.preempted()).isTrue();
        assertThat(after.overheadLeftHours()).isZero();

        RunResult without = simulator("00110000", job, false).run(0, new Script(OD, OD, OD, SPOT, OD), false);
        // Released first: t3 spot restart $1, t4 spot gone: on-demand restart t4, t5 $6, t6 and t7 work $3 each.
        assertThat(without.cost()).isCloseTo(22.0, within(1e-9));
        assertThat(without.finishHours()).isCloseTo(8.0, within(1e-9));
    }

    @Test
    void askingForTheSameOnDemandWhileSpotStarts_dropsTheStart() {
        JobSpec job = new JobSpec(3, 6, 2, 0);
        RunResult r = simulator("111111", job, true).run(0, new Script(OD, OD, OD, SPOT, OD), false);
        // 2-hour restart: t0, t1 on-demand restart $6, t2 work $3, t3 work $3 + spot starting $1, t4 work $3: done.
        assertThat(r.cost()).isCloseTo(16.0, within(1e-9));
        assertThat(r.finishHours()).isCloseTo(5.0, within(1e-9));
        assertThat(r.spotHours()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void theOptimumUsesTheHandOver_andItsPlanReplaysAtItsCost() {
        // 4 hours of work due in 5, 1-hour restart: spot comes only from t2. Without a hand-over leaving on-demand
        // for spot costs a tick the deadline does not have beyond the first start; with one the job runs
        // on-demand t0 (restart) t1, t2 and hands over to spot (starting t2, working t3, t4).
        JobSpec job = new JobSpec(4, 5, 1, 0);
        for (boolean handOver : new boolean[] {false, true}) {
            Simulator sim = simulator("00111", job, handOver);
            OfflineOptimum.Plan plan = new OfflineOptimum(sim.model()).solve(0);
            RunResult r = sim.run(0, new OptimalPolicy(plan), false);
            assertThat(r.missed()).isFalse();
            assertThat(r.cost()).as("hand-over " + handOver).isCloseTo(plan.cost(), within(1e-9));
            // Without: on-demand throughout, 5 h at $3. With: t0 restart $3, t1, t2 on-demand work $6, t2 spot
            // starting $1, t3, t4 spot work $2: $12.
            assertThat(plan.cost()).as("hand-over " + handOver).isCloseTo(handOver ? 12.0 : 15.0, within(1e-9));
        }
    }

    @Test
    void spotkeeper_leavesOnDemandWithLittleSlack_onlyWithAHandOver() {
        // Half-hour ticks and restart, refused launches costing no time; 10 h of work due in 11.5 h; spot only from
        // 3 h on, then to the end. Asked at first, spot is refused and the job starts on-demand, with 1 h of slack
        // left: the move and a return (1 h) leave less than a tick without a hand-over; with one only the return
        // counts, and the job moves to spot at 3 h.
        Trace trace = TinyTraces.of(1800, 3.0, "us-east-1a:" + "0".repeat(6) + "1".repeat(17) + ":1.0");
        JobSpec job = new JobSpec(10, 11.5, 0.5, 0);
        double[] costs = new double[2];
        for (int i = 0; i < 2; i++) {
            boolean handOver = i == 1;
            Simulator sim = new Simulator(new JobModel(trace, job, Network.AWS_B2, handOver), Information.HONEST, 0, 0);
            RunResult r = sim.run(0, new SpotkeeperPolicy(), false);
            assertThat(r.missed()).isFalse();
            if (handOver) {
                assertThat(r.spotHours()).as("spot held with a hand-over").isGreaterThan(5.0);
            } else {
                assertThat(r.spotHours()).as("spot held without a hand-over").isZero();
            }
            costs[i] = r.cost();
        }
        assertThat(costs[1]).isLessThan(costs[0]);
    }
}
