package dev.spotkeeper.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spotkeeper.core.policy.Decision;
import dev.spotkeeper.core.policy.Observation;
import dev.spotkeeper.core.policy.Policies;
import dev.spotkeeper.core.policy.SchedulingPolicy;
import dev.spotkeeper.core.policy.SpotAvailability;
import dev.spotkeeper.core.policy.ZoneView;
import dev.spotkeeper.sim.trace.Trace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The honest information model: a policy sees prices, the pool it holds and the answers to its own launches, and a
 * refused launch costs time but no money. Ten-minute ticks; a half-hour job (3 ticks) due in 2 hours; a 10-minute
 * restart (1 tick); us-east-1a never has spot ($1/h), us-east-1b always has ($2/h); on-demand $3/h.
 */
class HonestInformationTest {
    private static final Trace TRACE = TinyTraces.of(600, 3.0, "us-east-1a:" + "0".repeat(12) + ":1.0",
            "us-east-1b:" + "1".repeat(12) + ":2.0");
    private static final JobModel MODEL = new JobModel(TRACE, new JobSpec(0.5, 2, 600 / 3600.0, 0), Network.AWS_B2);

    /**
     * Asks for the cheap zone first, then the dear one; with {@code remember}, never again for a zone once refused
     * (shown refused, or asked for and not held at the next tick).
     */
    private static final class CheapFirst implements SchedulingPolicy {
        private final boolean remember;
        private final Set<String> refused = new HashSet<>();
        private String asked;

        CheapFirst(boolean remember) {
            this.remember = remember;
        }

        @Override
        public String name() {
            return "cheap-first";
        }

        @Override
        public Decision decide(Observation o) {
            if (o.holding() instanceof Decision.Spot s) {
                return s;
            }
            if (asked != null) {
                refused.add(asked);
            }
            for (ZoneView z : o.zones()) {
                if (!z.mayHaveSpot()) {
                    refused.add(z.zone());
                } else if (!remember || !refused.contains(z.zone())) {
                    asked = z.zone();
                    return Decision.spot(z.zone());
                }
            }
            return Decision.NONE;
        }
    }

    @Test
    void refusedLaunch_costsTheLatency_andTheStartAfterItBeginsThatMuchLater() {
        RunResult r = new Simulator(MODEL, Information.HONEST, 0, 120).run(0, new CheapFirst(false), false);
        // Tick 0: us-east-1a refused after 120 s, us-east-1b granted: its 600 s restart ends 720 s into the job, so it
        // takes two ticks; three ticks of work follow. Five ticks billed at $2/h of 1/6 h each; the refusal is free.
        assertThat(r.refusedLaunches()).isEqualTo(1);
        assertThat(r.finishHours()).isCloseTo(5 / 6.0, within(1e-9));
        assertThat(r.cost()).isCloseTo(5 * 2.0 / 6, within(1e-9));
        assertThat(r.missed()).isFalse();
    }

    @Test
    void allSeeing_showsTheEmptyZone_soNoLaunchIsRefused() {
        RunResult r = new Simulator(MODEL, Information.ALL_SEEING, 0, 120).run(0, new CheapFirst(false), false);
        assertThat(r.refusedLaunches()).isZero();
        assertThat(r.finishHours()).isCloseTo(4 / 6.0, within(1e-9));
        assertThat(r.cost()).isCloseTo(4 * 2.0 / 6, within(1e-9));
    }

    @Test
    void refusalsThatFillATick_passItWithNothingHeldAndNothingBilled() {
        RunResult r = new Simulator(MODEL, Information.HONEST, 0, 600).run(0, new CheapFirst(true), true);
        // Tick 0 goes to the refusal; tick 1 starts us-east-1b (1 tick), ticks 2–4 work: four ticks billed.
        assertThat(r.timeline()[0]).isEqualTo(RunResult.NONE);
        assertThat(r.timeline()[1]).isEqualTo(1);
        assertThat(r.finishHours()).isCloseTo(5 / 6.0, within(1e-9));
        assertThat(r.cost()).isCloseTo(4 * 2.0 / 6, within(1e-9));
    }

    /** Records every observation, asks for a random zone now and then, and otherwise behaves like failover. */
    private static final class Recorder implements SchedulingPolicy {
        final List<Observation> seen = new ArrayList<>();
        final List<List<ZoneView>> before = new ArrayList<>();
        final List<String> asked = new ArrayList<>();
        private final SchedulingPolicy inner = Policies.create("failover", "us-east-1a");
        private final SplittableRandom random;

        Recorder(long seed) {
            random = new SplittableRandom(seed);
        }

        @Override
        public String name() {
            return "recorder";
        }

        @Override
        public void observeMarket(double tickHours, List<ZoneView> zones) {
            before.add(zones);
        }

        @Override
        public Decision decide(Observation o) {
            seen.add(o);
            Decision d = random.nextInt(4) == 0 ? Decision.spot(o.zones().get(random.nextInt(o.zones().size())).zone())
                    : inner.decide(o);
            asked.add(d instanceof Decision.Spot s ? s.zone() : "");
            return d;
        }
    }

    @Test
    void honestView_neverShowsTheAvailabilityOfAZoneThatWasNotHeldLostOrAskedForThisTick() {
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 300; i++) {
            RandomTraces.Case c = RandomTraces.draw(random);
            JobModel model = new JobModel(c.trace(), c.job(), Network.AWS_B2);
            Recorder recorder = new Recorder(i);
            int start = c.trace().ticks() - model.deadlineTicks();
            new Simulator(model, Information.HONEST, 5, 600).run(start, recorder, false);
            assertThat(recorder.before).as("market before the job").hasSize(start)
                    .allMatch(zones -> zones.stream().allMatch(z -> z.availability() == SpotAvailability.UNKNOWN));
            Set<String> askedThisTick = new HashSet<>();
            for (int k = 0; k < recorder.seen.size(); k++) {
                Observation o = recorder.seen.get(k);
                if (o.attempt() == 0) {
                    askedThisTick.clear();
                } else {
                    askedThisTick.add(recorder.asked.get(k - 1));
                }
                String held = o.holding() instanceof Decision.Spot s ? s.zone() : "";
                int unasked = 0;
                for (ZoneView z : o.zones()) {
                    String where = "market #" + i + " tick " + o.tick() + " attempt " + o.attempt() + " zone " + z.zone();
                    boolean truth = c.trace().available(c.trace().zones().indexOf(z.zone()), start + o.tick());
                    switch (z.availability()) {
                        case AVAILABLE -> assertThat(z.zone().equals(held) && truth).as(where).isTrue();
                        case UNAVAILABLE -> {
                            assertThat(truth).as(where + " shown refused").isFalse();
                            unasked += askedThisTick.contains(z.zone()) ? 0 : 1;
                        }
                        case UNKNOWN -> assertThat(z.zone()).as(where).isNotEqualTo(held);
                    }
                }
                // Beyond the zones it asked for this tick, only the one just reclaimed from it may be shown refused.
                assertThat(unasked).as("market #" + i + " tick " + o.tick()).isLessThanOrEqualTo(o.preempted() ? 1 : 0);
            }
        }
    }
}
