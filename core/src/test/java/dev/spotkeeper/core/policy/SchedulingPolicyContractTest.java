package dev.spotkeeper.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every scheduling policy promises, checked on random observations: a decision is never null, spot is only
 * asked for in an offered zone that has spot now, on-demand only in an offered region, and a policy that
 * guarantees the deadline runs on-demand whenever waiting one more tick could miss it.
 */
class SchedulingPolicyContractTest {
    /** Every registered policy but spot-one-zone, which by design has no fallback. */
    private static final List<String> GUARANTEED = List.of("on-demand", "greedy", "uniform-progress", "failover",
            "spotkeeper");
    private static final List<String> ZONES = List.of("us-east-1a", "us-east-2b", "us-west-2a");
    private static final MoveCosts MOVES = new MoveCosts() {
        @Override
        public double egressDollars(String from, String to) {
            return from == null || from.equals(to) ? 0 : 1;
        }

        @Override
        public double startOverheadHours(String from, String to) {
            return 0.25;
        }
    };

    static List<String> policies() {
        return Policies.NAMES;
    }

    @ParameterizedTest
    @MethodSource("policies")
    void decisions_onRandomObservations_keepTheContract(String name) {
        SplittableRandom random = new SplittableRandom(3);
        for (int run = 0; run < 200; run++) {
            SchedulingPolicy policy = Policies.create(name, "us-east-2b");
            Decision holding = Decision.NONE;
            double done = 0;
            for (int tick = 0; tick < 40; tick++) {
                Observation o = observation(random, tick, holding, done);
                Decision d = policy.decide(o);
                assertThat(d).as(policy.name()).isNotNull();
                if (d instanceof Decision.Spot s) {
                    assertThat(o.zone(s.zone())).as(policy.name() + " chose " + s.zone()).isPresent();
                    assertThat(o.zone(s.zone()).get().available()).as(policy.name() + " chose a zone without spot").isTrue();
                }
                if (d instanceof Decision.OnDemand od) {
                    assertThat(List.of("us-east-1", "us-east-2", "us-west-2")).contains(od.region());
                }
                if (GUARANTEED.contains(name) && o.mustRunOnDemand()) {
                    assertThat(d).as(policy.name() + " with no slack left").isInstanceOf(Decision.OnDemand.class);
                }
                holding = d;
                done += d instanceof Decision.None ? 0 : 0.25;
            }
        }
    }

    private static Observation observation(SplittableRandom random, int tick, Decision holding, double done) {
        List<ZoneView> zones = new ArrayList<>();
        for (String z : ZONES) {
            zones.add(new ZoneView(z, z.substring(0, z.length() - 1), random.nextInt(3) > 0, 0.5 + random.nextDouble()));
        }
        double workLeft = 1 + random.nextInt(20) * 0.25;
        double timeLeft = workLeft + random.nextInt(12) * 0.25;
        boolean lost = holding instanceof Decision.Spot s && !zones.get(ZONES.indexOf(s.zone())).available();
        Decision held = lost ? Decision.NONE : holding;
        return new Observation(tick, 0.25, zones, 3.0, held, lost, 0, Optional.of("us-east-2"), done, workLeft,
                timeLeft, MOVES);
    }
}
