package dev.spotkeeper.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.policy.GreedyPolicy;
import dev.spotkeeper.core.policy.SpotkeeperPolicy;
import dev.spotkeeper.sim.trace.Trace;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** spotkeeper's policy through the simulator: no latch on on-demand, and no miss when the deadline is tight. */
class SpotkeeperReplayTest {
    @ParameterizedTest
    @EnumSource(Information.class)
    void afterAnOnDemandFallback_returnsToSpotWhenItIsBackAndTheSlackAllows(Information information) {
        // Quarter-hour ticks; 6 hours of work (24 ticks) due in 9 (36 ticks); a one-tick restart. Spot at $1 for
        // two ticks, gone for fourteen, then back for good; on-demand $3.
        Trace trace = TinyTraces.of(900, 3.0, "us-east-1a:" + "11" + "0".repeat(14) + "1".repeat(30) + ":1.0");
        JobModel model = new JobModel(trace, new JobSpec(6, 9, 0.25, 0), Network.AWS_B2);
        Simulator simulator = new Simulator(model, information, 0, 60);

        RunResult mine = simulator.run(0, new SpotkeeperPolicy(), true);
        RunResult greedy = simulator.run(0, new GreedyPolicy("us-east-1a"), true);

        int onDemand = trace.zoneCount();
        int[] held = mine.timeline();
        String timeline = Arrays.toString(held);
        assertThat(Arrays.copyOfRange(held, 2, 16)).as("on-demand in the gap: " + timeline).contains(onDemand);
        assertThat(Arrays.copyOfRange(held, 16, 18)).as("back on spot when it returned: " + timeline).containsOnly(0);
        assertThat(mine.missed()).isFalse();
        assertThat(mine.cost()).as("greedy stays on on-demand to the end").isLessThan(greedy.cost());
    }

    @ParameterizedTest
    @EnumSource(Information.class)
    void withATightDeadline_onRealTraces_neverMisses(Information information) {
        Scenario base = Scenarios.builtIn(Scenarios.FIRST_HALF).withWindows(Windows.random(8, 11, 0, 500));
        for (double multiple : List.of(1.05, 1.1)) {
            JobSpec job = new JobSpec(base.job().workHours(), base.job().workHours() * multiple,
                    base.job().restartOverheadHours(), base.job().checkpointGb());
            Scenario tight = base.withJob(job);
            ReplayResult r = Replay.run(tight, List.of("spotkeeper"), information, -1, 2, n -> { });
            assertThat(r.summaries().get(0).misses()).as(information.label() + " at " + multiple + " × the work").isZero();
            assertThat(r.summaries().get(0).costVsOnDemand()).as("spot is used at all").isLessThan(0.9);
        }
    }
}
