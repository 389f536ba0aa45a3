package dev.spotkeeper.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.SpotkeeperException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Single decisions of the online policies, from hand-built observations and no simulator. */
class PolicyDecisionsTest {
    /** A restart takes 0.25 h; a move between regions costs $1 and 0.05 h more. */
    private static final MoveCosts MOVES = new MoveCosts() {
        @Override
        public double egressDollars(String from, String to) {
            return from == null || from.equals(to) ? 0 : 1;
        }

        @Override
        public double startOverheadHours(String from, String to) {
            return from == null || from.equals(to) ? 0.25 : 0.3;
        }
    };

    private static Observation observe(Decision holding, double workLeft, double timeLeft, ZoneView... zones) {
        return observe(1, holding, workLeft, timeLeft, zones);
    }

    private static Observation observe(double done, Decision holding, double workLeft, double timeLeft,
                                       ZoneView... zones) {
        return new Observation(3, 0.25, List.of(zones), 3.0, holding, false, 0, Optional.of("us-east-1"), done,
                workLeft, timeLeft, MOVES);
    }

    private static ZoneView zone(String name, boolean available, double price) {
        return new ZoneView(name, name.substring(0, name.length() - 1), available, price);
    }

    @Test
    void slack_countsTheRestartOfAnOnDemandStart_unlessOnDemandIsHeld() {
        Observation spot = observe(Decision.spot("us-east-1a"), 5, 6, zone("us-east-1a", true, 1));
        assertThat(spot.slackHours()).isEqualTo(6 - 5 - 0.25);
        Observation onDemand = observe(Decision.onDemand("us-east-1"), 5, 6, zone("us-east-1a", true, 1));
        assertThat(onDemand.slackHours()).isEqualTo(1);
        assertThat(observe(Decision.NONE, 5, 5.3, zone("us-east-1a", true, 1)).mustRunOnDemand()).isTrue();
        assertThat(observe(Decision.NONE, 5, 5.6, zone("us-east-1a", true, 1)).mustRunOnDemand()).isFalse();
    }

    @Test
    void homeRegion_beforeAnyCheckpoint_isTheRegionWithTheCheapestOnDemand() {
        List<ZoneView> zones = List.of(zone("us-east-1a", true, 1), zone("us-west-2a", true, 1));
        Observation o = new Observation(0, 0.25, zones, java.util.Map.of("us-east-1", 3.06, "us-west-2", 2.9),
                Decision.NONE, false, 0, Optional.empty(), 0, 5, 8, MOVES, 0, 0);
        assertThat(o.homeRegion()).isEqualTo("us-west-2");
        assertThat(o.onDemandPrice()).isEqualTo(2.9);
        assertThat(o.onDemandPrice("us-east-1")).isEqualTo(3.06);
    }

    @Test
    void mustRunOnDemand_holdingNothing_leavesRoomForOneRefusedLaunch() {
        // Slack 6 − 5 − 0.25 = 0.75 h: three ticks. A refused launch of 0.7 h would leave 0.05 h, under half a tick.
        ZoneView up = zone("us-east-1a", false, 1);
        Observation idle = new Observation(3, 0.25, List.of(up), java.util.Map.of("us-east-1", 3.0), Decision.NONE,
                false, 0, Optional.of("us-east-1"), 1, 5, 6, MOVES, 0, 0.7);
        assertThat(idle.slackHours()).isEqualTo(0.75);
        assertThat(idle.slackAfterRefusalHours()).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(idle.mustRunOnDemand()).isTrue();
        Observation running = new Observation(3, 0.25, List.of(zone("us-east-1a", true, 1)), java.util.Map.of("us-east-1", 3.0),
                Decision.spot("us-east-1a"), false, 0, Optional.of("us-east-1"), 1, 5, 6, MOVES, 0, 0.7);
        assertThat(running.mustRunOnDemand()).as("a refusal does not stop a running instance").isFalse();
    }

    @Test
    void failover_whereAvailabilityIsUnknown_asksTheCheapestZone_andAfterARefusalTheNext() {
        ZoneView a = new ZoneView("us-east-1a", "us-east-1", SpotAvailability.UNKNOWN, 1.5, 0);
        ZoneView b = new ZoneView("us-east-2b", "us-east-2", SpotAvailability.UNKNOWN, 0.9, 0);
        ZoneView bRefused = new ZoneView("us-east-2b", "us-east-2", SpotAvailability.UNAVAILABLE, 0.9, 0);
        FailoverPolicy failover = new FailoverPolicy();
        assertThat(failover.decide(observe(Decision.NONE, 5, 9, a, b))).isEqualTo(Decision.spot("us-east-2b"));
        assertThat(failover.decide(observe(Decision.NONE, 5, 9, a, bRefused))).isEqualTo(Decision.spot("us-east-1a"));
    }

    @Test
    void greedy_takesSpotWhenUp_waitsWhenDown_andStaysOnDemandOnceTheSlackIsGone() {
        GreedyPolicy greedy = new GreedyPolicy("us-east-1a");
        assertThat(greedy.decide(observe(Decision.NONE, 5, 8, zone("us-east-1a", true, 1)))).isEqualTo(Decision.spot("us-east-1a"));
        assertThat(greedy.decide(observe(Decision.NONE, 5, 8, zone("us-east-1a", false, 1)))).isEqualTo(Decision.NONE);
        assertThat(greedy.decide(observe(Decision.NONE, 5, 5.25, zone("us-east-1a", false, 1))))
                .isEqualTo(Decision.onDemand("us-east-1"));
        assertThat(greedy.decide(observe(Decision.onDemand("us-east-1"), 4, 8, zone("us-east-1a", true, 1))))
                .as("committed").isEqualTo(Decision.onDemand("us-east-1"));
    }

    @Test
    void failover_keepsItsZoneWhileUp_andOnPreemptionPicksTheCheapestZoneUp() {
        FailoverPolicy failover = new FailoverPolicy();
        ZoneView a = zone("us-east-1a", true, 1.5);
        ZoneView b = zone("us-east-2b", true, 0.9);
        ZoneView c = zone("us-west-2c", true, 1.1);
        assertThat(failover.decide(observe(Decision.spot("us-east-1a"), 5, 9, a, b, c))).isEqualTo(Decision.spot("us-east-1a"));
        ZoneView aDown = zone("us-east-1a", false, 1.5);
        assertThat(failover.decide(observe(Decision.NONE, 5, 9, aDown, b, c))).isEqualTo(Decision.spot("us-east-2b"));
    }

    @Test
    void uniformProgress_usesOnDemandOnlyWhenBehindTheLine() {
        // tick 3 of 0.25 h: 0.75 h elapsed of 0.75 + 8 h; 6 h of work in all, so 0.514 h expected, 1 h done.
        UniformProgressPolicy ahead = new UniformProgressPolicy("us-east-1a");
        assertThat(ahead.decide(observe(Decision.NONE, 5, 8, zone("us-east-1a", false, 1)))).isEqualTo(Decision.NONE);
        // 0.2 h done of 5.2 h, 0.75 h elapsed of 7.75 h: 0.503 h expected: behind, on-demand.
        UniformProgressPolicy behind = new UniformProgressPolicy("us-east-1a");
        assertThat(behind.decide(observe(0.2, Decision.NONE, 5, 7, zone("us-east-1a", false, 1))))
                .isEqualTo(Decision.onDemand("us-east-1"));
    }

    @Test
    void spotkeeper_ignoresAnExpensiveZoneWhileSlackIsPlentiful_butTakesItWhenSlackRunsLow() {
        ZoneView cheapDown = zone("us-east-1a", false, 0.9);
        ZoneView dearUp = zone("us-east-1b", true, 2.0);
        SpotkeeperPolicy patient = new SpotkeeperPolicy();
        assertThat(patient.decide(observe(Decision.NONE, 5, 20, cheapDown, dearUp))).isEqualTo(Decision.NONE);
        SpotkeeperPolicy pressed = new SpotkeeperPolicy();
        pressed.decide(observe(Decision.NONE, 5, 20, cheapDown, dearUp));
        assertThat(pressed.decide(observe(Decision.NONE, 5, 6.0, cheapDown, dearUp))).isEqualTo(Decision.spot("us-east-1b"));
    }

    @Test
    void spotkeeper_preferstheZoneWhoseSpellsLast_atTheSamePrice() {
        SpotkeeperPolicy policy = new SpotkeeperPolicy();
        // History: us-east-1a flickers (up one tick in two), us-east-1b stays up.
        for (int t = 0; t < 200; t++) {
            policy.observeMarket(0.25, List.of(zone("us-east-1a", t % 2 == 0, 1.0), zone("us-east-1b", true, 1.0)));
        }
        Decision d = policy.decide(observe(Decision.NONE, 5, 20, zone("us-east-1a", true, 1.0), zone("us-east-1b", true, 1.0)));
        assertThat(d).isEqualTo(Decision.spot("us-east-1b"));
    }

    @Test
    void registry_createsEveryPolicyByName_andSuggestsOnATypo() {
        for (String name : Policies.NAMES) {
            assertThat(Policies.create(name, "us-east-1a").name()).isEqualTo(name);
        }
        assertThatThrownBy(() -> Policies.create("greedyy", "us-east-1a")).isInstanceOf(SpotkeeperException.class)
                .hasMessageContaining("did you mean greedy");
    }
}
