package dev.spotkeeper.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spotkeeper.core.policy.Policies;
import dev.spotkeeper.core.policy.SchedulingPolicy;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Properties that must hold on every market, checked on thousands of small random ones, in both modes. */
class PolicyPropertiesTest {
    /** The policies that promise the deadline (spot-one-zone does not). */
    private static final List<String> GUARANTEED = List.of("on-demand", "greedy", "uniform-progress", "failover",
            "spotkeeper");
    private static final int TRACES = 2000;

    @ParameterizedTest
    @EnumSource(Information.class)
    void guaranteedPolicies_neverMissTheDeadline_andTheOptimumIsBelowEveryPolicyThatMetIt(Information information) {
        check(information, false, new SplittableRandom(11), TRACES);
    }

    @ParameterizedTest
    @EnumSource(Information.class)
    void withAHandOverFromOnDemand_theSame(Information information) {
        check(information, true, new SplittableRandom(13), TRACES / 2);
    }

    private static void check(Information information, boolean handOver, SplittableRandom random, int traces) {
        for (int i = 0; i < traces; i++) {
            RandomTraces.Case c = RandomTraces.draw(random);
            JobModel model = new JobModel(c.trace(), c.job(), Network.AWS_B2, handOver);
            // A refused launch costs a fifth of a tick here, so refusals add up to lost ticks within a tick's asking.
            Simulator simulator = new Simulator(model, information, 0, c.trace().gapSeconds() / 5);
            OfflineOptimum.Plan plan = new OfflineOptimum(model).solve(0);
            RunResult optimal = simulator.run(0, new OptimalPolicy(plan), false);
            String where = information.label() + (handOver ? ", hand-over," : "") + " random market #" + i;
            assertThat(optimal.missed()).as(where).isFalse();
            assertThat(optimal.cost()).as(where + ": the optimum's plan replays at its own cost")
                    .isCloseTo(plan.cost(), within(1e-9));
            assertThat(optimal.refusedLaunches()).as(where + ": the optimum never asks where spot is not").isZero();
            for (String name : Policies.NAMES) {
                SchedulingPolicy policy = Policies.create(name, c.trace().zones().get(0));
                RunResult r = simulator.run(0, policy, false);
                if (GUARANTEED.contains(name)) {
                    assertThat(r.missed()).as(where + ": " + name + " missed").isFalse();
                }
                if (!r.missed()) {
                    assertThat(plan.cost()).as(where + ": optimum vs " + name).isLessThanOrEqualTo(r.cost() + 1e-9);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Information.class)
    void optimum_isBelowEveryPolicy_onEveryWindowOfTheCrossAreaScenario(Information information) {
        Scenario scenario = Scenarios.builtIn(Scenarios.CROSS_AREA);
        ReplayResult result = Replay.run(scenario, Replay.POLICIES, information, -1, 2, n -> { });
        int optimal = result.policies().indexOf(Replay.OPTIMAL);
        for (List<RunResult> row : result.rows()) {
            for (RunResult r : row) {
                if (!r.missed()) {
                    assertThat(row.get(optimal).cost()).as(r.policy() + " at tick " + r.startTick())
                            .isLessThanOrEqualTo(r.cost() + 1e-9);
                }
            }
            assertThat(row.get(optimal).missed()).isFalse();
        }
    }
}
