package dev.spotkeeper.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.policy.Policies;
import dev.spotkeeper.sim.trace.Trace;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No policy but the optimum can see the future: altering the trace after tick k leaves every online policy's
 * decisions up to k unchanged, in both information modes. The optimum, which plans with the whole trace, is shown to react, so the test
 * can tell the difference.
 */
class FutureBlindnessTest {
    @ParameterizedTest
    @EnumSource(Information.class)
    void onlinePolicies_decideTheSameUpToK_whenTheTraceAfterKIsAltered(Information information) {
        SplittableRandom random = new SplittableRandom(5);
        int optimumReacted = 0;
        for (int i = 0; i < 400; i++) {
            RandomTraces.Case c = RandomTraces.draw(random);
            Trace original = c.trace();
            int k = random.nextInt(original.ticks());
            Trace altered = alterAfter(original, k, random);
            JobModel a = new JobModel(original, c.job(), Network.AWS_B2);
            JobModel b = new JobModel(altered, c.job(), Network.AWS_B2);
            int deadline = a.deadlineTicks();
            for (String name : Policies.NAMES) {
                String zone = original.zones().get(0);
                int[] before = new Simulator(a, information, 0, 60).run(0, Policies.create(name, zone), true).timeline();
                int[] after = new Simulator(b, information, 0, 60).run(0, Policies.create(name, zone), true).timeline();
                int upTo = Math.min(k + 1, deadline);
                assertThat(Arrays.copyOf(after, upTo)).as(name + " on market #" + i + " altered after tick " + k)
                        .isEqualTo(Arrays.copyOf(before, upTo));
            }
            int[] optimalBefore = new Simulator(a, information, 0, 60).run(0, new OptimalPolicy(new OfflineOptimum(a).solve(0)),
                    true).timeline();
            int[] optimalAfter = new Simulator(b, information, 0, 60).run(0, new OptimalPolicy(new OfflineOptimum(b).solve(0)),
                    true).timeline();
            int upTo = Math.min(k + 1, deadline);
            if (!Arrays.equals(Arrays.copyOf(optimalBefore, upTo), Arrays.copyOf(optimalAfter, upTo))) {
                optimumReacted++;
            }
        }
        assertThat(optimumReacted).as("markets where the optimum's early decisions changed with the future").isPositive();
    }

    /** The same trace up to and including tick k; afterwards fresh availability and prices. */
    private static Trace alterAfter(Trace t, int k, SplittableRandom random) {
        boolean[][] available = new boolean[t.zoneCount()][t.ticks()];
        double[][] prices = new double[t.zoneCount()][t.ticks()];
        for (int z = 0; z < t.zoneCount(); z++) {
            for (int i = 0; i < t.ticks(); i++) {
                available[z][i] = i <= k ? t.available(z, i) : random.nextBoolean();
                prices[z][i] = i <= k ? t.price(z, i) : 0.2 + 2.5 * random.nextDouble();
            }
        }
        return TinyTraces.of(t.gapSeconds(), t.onDemandPrice(), List.copyOf(t.zones()), available, prices);
    }
}
