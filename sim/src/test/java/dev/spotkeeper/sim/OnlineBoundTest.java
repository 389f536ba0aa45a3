package dev.spotkeeper.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spotkeeper.core.policy.Policies;
import dev.spotkeeper.sim.trace.Trace;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The online bound: exact where it can be worked out by hand, and on a market small enough to enumerate every trace,
 * below what every registered online policy pays in expectation and above what the offline optimum pays.
 */
class OnlineBoundTest {
    private static final double TICK = 1.0;

    @Test
    void spotAlwaysThere_theBestIsSpotFromTheStart() {
        // Work 10 ticks, a 2-tick start: 12 ticks of spot at $1.
        double v = OnlineBound.bestOnline(new OnlineBound.Chain(0, 0.5), 1.0, 3.0, TICK, 10, 13, 2);
        assertThat(v).isCloseTo(12.0, within(1e-9));
    }

    @Test
    void spotNeverThere_theBestIsOnDemandFromTheStart() {
        double v = OnlineBound.bestOnline(new OnlineBound.Chain(1, 0), 1.0, 3.0, TICK, 10, 13, 2);
        assertThat(v).isCloseTo(36.0, within(1e-9));
    }

    @Test
    void noSlackForALostStart_onlyOnDemandIsSafe() {
        // Deadline 12 = work 10 + one 2-tick start: a spot start lost after it would leave no time to restart,
        // so a policy that never misses runs on-demand however likely spot is.
        double v = OnlineBound.bestOnline(new OnlineBound.Chain(0.01, 0.5), 1.0, 3.0, TICK, 10, 12, 2);
        assertThat(v).isCloseTo(36.0, within(1e-9));
    }

    @Test
    void everyTraceOfASmallMarket_theBoundLiesBetweenTheOptimumAndEveryOnlinePolicy() {
        OnlineBound.Chain chain = new OnlineBound.Chain(0.3, 0.5);
        JobSpec job = new JobSpec(4, 7, 1, 0);
        int ticks = 8;
        double bound = OnlineBound.bestOnline(chain, 1.0, 3.0, TICK, 4, 7, 1);
        double optimum = 0;
        double[][] policies = new double[Policies.NAMES.size()][Information.values().length];
        boolean[][] missed = new boolean[Policies.NAMES.size()][Information.values().length];
        for (int mask = 0; mask < (1 << ticks); mask++) {
            boolean[][] available = new boolean[1][ticks];
            double[][] prices = new double[1][ticks];
            double probability = 1;
            for (int t = 0; t < ticks; t++) {
                available[0][t] = ((mask >> t) & 1) == 1;
                prices[0][t] = 1.0;
                double up = t == 0 ? chain.availability() : available[0][t - 1] ? 1 - chain.loss() : chain.recovery();
                probability *= available[0][t] ? up : 1 - up;
            }
            Trace trace = new Trace("enumerated", List.of("us-east-1a"), List.of("us-east-1"), 3600, available,
                    prices, 3.0);
            JobModel model = new JobModel(trace, job, Network.AWS_B2, true);
            optimum += probability * new OfflineOptimum(model).solve(0).cost();
            for (int p = 0; p < Policies.NAMES.size(); p++) {
                for (Information mode : Information.values()) {
                    RunResult r = new Simulator(model, mode, 0, 0).run(0, Policies.create(Policies.NAMES.get(p),
                            "us-east-1a"), false);
                    policies[p][mode.ordinal()] += probability * r.cost();
                    missed[p][mode.ordinal()] |= r.missed();
                }
            }
        }
        assertThat(bound).as("the optimum knows the future: it pays less").isGreaterThan(optimum + 0.1);
        for (int p = 0; p < Policies.NAMES.size(); p++) {
            for (Information mode : Information.values()) {
                if (!missed[p][mode.ordinal()]) {
                    assertThat(policies[p][mode.ordinal()]).as(Policies.NAMES.get(p) + " " + mode)
                            .isGreaterThanOrEqualTo(bound - 1e-9);
                }
            }
        }
    }

    @Test
    void fittedChain_countsTheTraceTransitions() {
        Trace trace = TinyTraces.of(3600, 3.0, "us-east-1a:1101110000:1.0");
        OnlineBound.Chain c = OnlineBound.Chain.fit(trace, 0);
        // With spot at ticks 0,1,3,4,5: followed by no spot twice (1→2, 5→6) out of five; without at 2,6,7,8 (the
        // last tick has no successor): back once (2→3) out of four.
        assertThat(c.loss()).isCloseTo(0.4, within(1e-12));
        assertThat(c.recovery()).isCloseTo(0.25, within(1e-12));
    }
}
