package dev.spotkeeper.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Single decisions of spotkeeper's policy from hand-built observations where availability is learnt by asking. */
class SpotkeeperPolicyTest {
    /** Quarter-hour ticks; a start takes a tick (0.25 h); moving between regions costs $1 and 0.05 h more. */
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
    /** A refused launch costs a minute. */
    private static final double LATENCY = 1 / 60.0;

    private static ZoneView unknown(String zone, double price) {
        return new ZoneView(zone, zone.substring(0, zone.length() - 1), SpotAvailability.UNKNOWN, price, 0);
    }

    private static ZoneView refused(String zone, double price) {
        return new ZoneView(zone, zone.substring(0, zone.length() - 1), SpotAvailability.UNAVAILABLE, price, 0);
    }

    private static Observation observe(Decision holding, int attempt, double workLeft, double timeLeft,
                                       Optional<String> checkpoint, ZoneView... zones) {
        Map<String, Double> onDemand = Map.of("us-east-1", 3.0, "us-east-2", 3.0, "us-west-2", 3.0);
        return new Observation(4, 0.25, List.of(zones), onDemand, holding, false, 0, checkpoint, 1, workLeft, timeLeft,
                MOVES, attempt, LATENCY);
    }

    @Test
    void onOnDemand_asksForSpotAgain_whenTheSlackLeavesRoomForTheMoveAndAReturn() {
        SpotkeeperPolicy policy = new SpotkeeperPolicy();
        Decision d = policy.decide(observe(Decision.onDemand("us-east-1"), 0, 10, 12, Optional.of("us-east-1"),
                unknown("us-east-1a", 1.0)));
        assertThat(d).isEqualTo(Decision.spot("us-east-1a"));
    }

    @Test
    void onOnDemand_staysThere_whenTheSlackCannotCoverTheMoveAndAReturn() {
        // Slack on on-demand: 10.4 − 10 = 0.4 h; a move takes 0.25 h and a return 0.25 h more.
        SpotkeeperPolicy policy = new SpotkeeperPolicy();
        Decision d = policy.decide(observe(Decision.onDemand("us-east-1"), 0, 10, 10.4, Optional.of("us-east-1"),
                unknown("us-east-1a", 1.0)));
        assertThat(d).isEqualTo(Decision.onDemand("us-east-1"));
    }

    @Test
    void onOnDemand_withAHandOver_asksForSpotWhenTheSlackCoversOnlyTheReturn() {
        // Slack on on-demand: 10.6 − 10 = 0.6 h. Without a hand-over the move (0.25 h) and the return (0.25 h) leave
        // 0.1 h, under a tick and a refused launch; with one on-demand runs on while spot starts, so only the return
        // counts and 0.35 h are left.
        Map<String, Double> onDemand = Map.of("us-east-1", 3.0);
        for (boolean handOver : new boolean[] {false, true}) {
            Observation o = new Observation(4, 0.25, List.of(unknown("us-east-1a", 1.0)), onDemand,
                    Decision.onDemand("us-east-1"), false, 0, Optional.of("us-east-1"), 1, 10, 10.6, MOVES, 0, LATENCY,
                    handOver);
            Decision d = new SpotkeeperPolicy().decide(o);
            assertThat(d).as("hand-over " + handOver)
                    .isEqualTo(handOver ? Decision.spot("us-east-1a") : Decision.onDemand("us-east-1"));
        }
    }

    @Test
    void withAHandOver_anOnDemandInstanceStillStarting_isNotLeft() {
        // Plenty of slack (12 − 10 − 0.25 h); warm, the same instance would be left for spot (test above).
        Map<String, Double> onDemand = Map.of("us-east-1", 3.0);
        for (double overhead : new double[] {0.25, 0}) {
            Observation o = new Observation(4, 0.25, List.of(unknown("us-east-1a", 1.0)), onDemand,
                    Decision.onDemand("us-east-1"), false, overhead, Optional.of("us-east-1"), 1, 10, 12, MOVES, 0,
                    LATENCY, true);
            assertThat(new SpotkeeperPolicy().decide(o)).as("overhead left " + overhead)
                    .isEqualTo(overhead > 0 ? Decision.onDemand("us-east-1") : Decision.spot("us-east-1a"));
        }
    }

    @Test
    void holdingNothing_withLittleSlack_goesToSpotThroughOnDemandOnlyWithAHandOver() {
        // Slack 11.4 − 10 − 0.25 = 1.15 h: a start would leave 0.9 h, under four restarts of 0.25 h, and more
        // than a tick and a refusal.
        Map<String, Double> onDemand = Map.of("us-east-1", 3.0);
        for (boolean handOver : new boolean[] {false, true}) {
            Observation o = new Observation(4, 0.25, List.of(unknown("us-east-1a", 1.0)), onDemand, Decision.NONE,
                    false, 0, Optional.of("us-east-1"), 1, 10, 11.4, MOVES, 0, LATENCY, handOver);
            assertThat(new SpotkeeperPolicy().decide(o)).as("hand-over " + handOver)
                    .isEqualTo(handOver ? Decision.onDemand("us-east-1") : Decision.spot("us-east-1a"));
        }
    }

    @Test
    void holdingNothing_afterTheCheapZoneIsRefused_asksTheNextOneInTheSameTick() {
        SpotkeeperPolicy policy = new SpotkeeperPolicy();
        Decision first = policy.decide(observe(Decision.NONE, 0, 10, 30, Optional.of("us-east-1"),
                unknown("us-east-1a", 0.9), unknown("us-east-1b", 0.92)));
        assertThat(first).isEqualTo(Decision.spot("us-east-1a"));
        Decision second = policy.decide(observe(Decision.NONE, 1, 10, 30, Optional.of("us-east-1"),
                refused("us-east-1a", 0.9), unknown("us-east-1b", 0.92)));
        assertThat(second).isEqualTo(Decision.spot("us-east-1b"));
    }

    @Test
    void withNoSlackToSpare_stopsAskingBeforeRefusalsWouldUseUpTheTick_andStartsOnDemand() {
        // Slack 11 − 10 − 0.25 = 0.75 h, under what the restarts of 10 more hours need: on-demand is the alternative.
        // After one refusal it asks the next likely zone; after fifteen one-minute refusals another would use up the
        // quarter-hour tick, so it starts on-demand instead.
        SpotkeeperPolicy policy = new SpotkeeperPolicy();
        ZoneView[] zones = {refused("us-east-1a", 0.9), unknown("us-east-1b", 0.9)};
        Decision asked = policy.decide(observe(Decision.NONE, 1, 10, 11, Optional.of("us-east-1"), zones));
        assertThat(asked).isEqualTo(Decision.spot("us-east-1b"));
        Decision late = policy.decide(observe(Decision.NONE, 15, 10, 11, Optional.of("us-east-1"), zones));
        assertThat(late).isEqualTo(Decision.onDemand("us-east-1"));
    }

    @Test
    void withPlentyOfSlack_waitsForTheCheapZone_ratherThanPayingMuchMoreElsewhere() {
        SpotkeeperPolicy policy = new SpotkeeperPolicy();
        Decision d = policy.decide(observe(Decision.NONE, 1, 10, 40, Optional.of("us-east-1"),
                refused("us-east-1a", 0.9), unknown("us-east-1b", 2.5)));
        assertThat(d).isEqualTo(Decision.NONE);
    }

    @Test
    void justLostTheCheapZone_takesADearerOne_whenWaitingATypicalGapWouldOverrunTheSlackToSpare() {
        // Five-minute ticks and restarts, on-demand $0.096/h; 1.33 h of work left in 2 h. The slack beyond the
        // restarts' reserve is under half an hour, a typical gap an hour: waiting for the $0.03 zone would end on
        // on-demand, so the $0.04 zone is worth its extra cent an hour.
        MoveCosts fiveMinutes = new MoveCosts() {
            @Override
            public double egressDollars(String from, String to) {
                return 0;
            }

            @Override
            public double startOverheadHours(String from, String to) {
                return 1 / 12.0;
            }
        };
        ZoneView lost = new ZoneView("us-east-1a", "us-east-1", SpotAvailability.UNAVAILABLE, 0.03, 8);
        ZoneView dearer = new ZoneView("us-east-1b", "us-east-1", SpotAvailability.UNKNOWN, 0.04, 8);
        Observation o = new Observation(24, 1 / 12.0, List.of(lost, dearer), Map.of("us-east-1", 0.096), Decision.NONE,
                true, 0, Optional.of("us-east-1"), 2, 4 / 3.0, 2, fiveMinutes, 0, 0);
        assertThat(new SpotkeeperPolicy().decide(o)).isEqualTo(Decision.spot("us-east-1b"));
    }

    @Test
    void aPlacementScore_decidesWhichOfTwoEqualZonesIsAskedFirst() {
        SpotkeeperPolicy policy = new SpotkeeperPolicy();
        ZoneView low = new ZoneView("us-east-1a", "us-east-1", SpotAvailability.UNKNOWN, 1.0, 1);
        ZoneView high = new ZoneView("us-east-1b", "us-east-1", SpotAvailability.UNKNOWN, 1.0, 9);
        Decision d = policy.decide(observe(Decision.NONE, 0, 10, 30, Optional.of("us-east-1"), low, high));
        assertThat(d).isEqualTo(Decision.spot("us-east-1b"));
    }

    @Test
    void beforeAnyCheckpoint_onDemandStartsInTheRegionOfTheBestSpot_notTheFirstZones() {
        // Slack 10.6 − 10 − 0.25 = 0.35 h: no time to wait; the likely spot is in us-west-2, but asking again would
        // use up the tick, so on-demand starts there, where a later move to spot moves nothing.
        SpotkeeperPolicy policy = new SpotkeeperPolicy();
        Decision d = policy.decide(observe(Decision.NONE, 15, 10, 10.6, Optional.empty(),
                refused("us-east-1a", 0.9), unknown("us-west-2a", 0.9)));
        assertThat(d).isEqualTo(Decision.onDemand("us-west-2"));
    }

    @Test
    void aRunningInstance_staysPut_unlessAnotherZoneIsClearlyCheaper() {
        SpotkeeperPolicy policy = new SpotkeeperPolicy();
        ZoneView held = new ZoneView("us-east-1a", "us-east-1", SpotAvailability.AVAILABLE, 1.0, 0);
        Decision stay = policy.decide(observe(Decision.spot("us-east-1a"), 0, 10, 30, Optional.of("us-east-1"), held,
                unknown("us-east-1b", 0.97)));
        assertThat(stay).isEqualTo(Decision.spot("us-east-1a"));
        Decision move = policy.decide(observe(Decision.spot("us-east-1a"), 0, 10, 30, Optional.of("us-east-1"), held,
                unknown("us-east-1b", 0.5)));
        assertThat(move).isEqualTo(Decision.spot("us-east-1b"));
    }
}
