package dev.spotkeeper.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.controller.internal.FleetPlanner.Risk;
import dev.spotkeeper.controller.internal.FleetPlanner.Step;
import dev.spotkeeper.controller.internal.FleetPlanner.View;
import dev.spotkeeper.core.cloud.FleetPort.Group;
import dev.spotkeeper.core.cloud.FleetPort.Member;
import dev.spotkeeper.core.cloud.FleetPort.TargetHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetPlannerTest {
    private static final List<String> RANKING = List.of("m5.large", "m5a.large", "m6i.large");

    private static Member member(String id, String state) {
        return new Member(id, "m5.large", "us-east-1a", state, "Healthy");
    }

    private static Group group(int desired, Member... members) {
        return new Group("web", desired, 0, desired + 2, RANKING, true, List.of(members));
    }

    private static List<TargetHealth> healthy(String... ids) {
        List<TargetHealth> out = new ArrayList<>();
        for (String id : ids) {
            out.add(new TargetHealth(id, "healthy", ""));
        }
        return out;
    }

    private static View view(Group g, List<TargetHealth> targets, Map<String, Risk> risk, Set<String> detached,
                             boolean wasBelow) {
        return new View(3, Optional.of(g), targets, risk, detached, RANKING, Set.of(), false, wasBelow);
    }

    @Test
    void noGroupYet_ensuresOneAtReplicas_inTheRanking() {
        var d = FleetPlanner.plan(new View(3, Optional.empty(), List.of(), Map.of(), Set.of(), RANKING, Set.of(),
                false, false));

        assertThat(d.steps()).containsExactly(new Step.Ensure(RANKING, 3));
    }

    @Test
    void warning_detachesKeepingCapacity_andReportsCapacityBelow() {
        Group g = group(3, member("i-1", "InService"), member("i-2", "InService"), member("i-3", "InService"));

        var d = FleetPlanner.plan(view(g, healthy("i-1", "i-2", "i-3"), Map.of("i-2", Risk.WARNING), Set.of(), false));

        assertThat(d.steps()).containsExactly(new Step.Detach("i-2", true));
        assertThat(d.capacity()).contains(new FleetPlanner.Capacity(true, 2, 3));
    }

    @Test
    void detachedInstance_isTerminatedOnlyOnceItsTargetHasDrained() {
        Group g = group(3, member("i-1", "InService"), member("i-3", "InService"), member("i-4", "InService"));
        List<TargetHealth> draining = new ArrayList<>(healthy("i-1", "i-3", "i-4"));
        draining.add(new TargetHealth("i-2", "draining", "Target.DeregistrationInProgress"));

        var still = FleetPlanner.plan(view(g, draining, Map.of("i-2", Risk.WARNING), Set.of("i-2"), true));
        var done = FleetPlanner.plan(view(g, healthy("i-1", "i-3", "i-4"), Map.of("i-2", Risk.WARNING), Set.of("i-2"), true));

        assertThat(still.steps()).isEmpty();
        assertThat(done.steps()).containsExactly(new Step.Terminate("i-2"));
        assertThat(done.capacity()).contains(new FleetPlanner.Capacity(false, 3, 3));
    }

    @Test
    void rebalance_launchesFirst_thenLetsTheAtRiskOneGoOnceTheNewTargetIsHealthy_thenShrinksBack() {
        Group steady = group(3, member("i-1", "InService"), member("i-2", "InService"), member("i-3", "InService"));
        Map<String, Risk> risk = Map.of("i-2", Risk.REBALANCE);

        var first = FleetPlanner.plan(view(steady, healthy("i-1", "i-2", "i-3"), risk, Set.of(), false));
        Group surged = group(4, member("i-1", "InService"), member("i-2", "InService"), member("i-3", "InService"),
                member("i-4", "InService"));
        List<TargetHealth> booting = new ArrayList<>(healthy("i-1", "i-2", "i-3"));
        booting.add(new TargetHealth("i-4", "initial", "Elb.InitialHealthChecking"));
        var waiting = FleetPlanner.plan(view(surged, booting, risk, Set.of(), false));
        var ready = FleetPlanner.plan(view(surged, healthy("i-1", "i-2", "i-3", "i-4"), risk, Set.of(), false));

        assertThat(first.steps()).containsExactly(new Step.SetDesired(4));
        assertThat(first.capacity()).isEmpty();
        assertThat(waiting.steps()).isEmpty();
        assertThat(ready.steps()).containsExactly(new Step.Detach("i-2", false));
    }

    @Test
    void warningDuringALaunchBeforeTerminate_detachesLoweringTheSurge_andScalesNoServingInstanceIn() {
        Group surged = new Group("web", 4, 0, 5, List.of("m5a.large", "m5.large"), true, List.of(
                member("i-1", "InService"), member("i-2", "InService"), member("i-3", "InService"),
                member("i-4", "Pending")));

        var d = FleetPlanner.plan(new View(3, Optional.of(surged), healthy("i-1", "i-2", "i-3"),
                Map.of("i-2", Risk.WARNING), Set.of(), RANKING, Set.of(), false, false));

        assertThat(d.steps()).containsExactly(new Step.Detach("i-2", false), new Step.Ensure(RANKING, 3));
    }

    @Test
    void surgeWithoutAtRiskInstance_returnsToReplicas() {
        Group surged = group(4, member("i-1", "InService"), member("i-3", "InService"), member("i-4", "InService"));

        var d = FleetPlanner.plan(view(surged, healthy("i-1", "i-3", "i-4"), Map.of(), Set.of(), false));

        assertThat(d.steps()).containsExactly(new Step.SetDesired(3));
    }

    @Test
    void terminationHook_isCompletedOnceTheTargetHasDrained() {
        Group g = group(3, member("i-1", "InService"), member("i-2", "Terminating:Wait"), member("i-3", "InService"),
                member("i-4", "InService"));
        List<TargetHealth> draining = new ArrayList<>(healthy("i-1", "i-3", "i-4"));
        draining.add(new TargetHealth("i-2", "draining", "Target.DeregistrationInProgress"));

        assertThat(FleetPlanner.plan(view(g, draining, Map.of(), Set.of(), false)).steps()).isEmpty();
        assertThat(FleetPlanner.plan(view(g, healthy("i-1", "i-3", "i-4"), Map.of(), Set.of(), false)).steps())
                .containsExactly(new Step.CompleteTermination("i-2"));
    }

    @Test
    void poolsThatJustInterrupted_areRankedLast_andTheGroupReRanked() {
        Group g = group(3, member("i-1", "InService"), member("i-2", "InService"), member("i-3", "InService"));

        var d = FleetPlanner.plan(new View(3, Optional.of(g), healthy("i-1", "i-2", "i-3"), Map.of(), Set.of(), RANKING,
                Set.of("m5.large"), false, false));

        assertThat(d.steps()).containsExactly(new Step.Ensure(List.of("m5a.large", "m6i.large", "m5.large"), 3));
    }

    @Test
    void cancel_deletesTheFleet_andThenNothing() {
        Group g = group(3, member("i-1", "InService"));

        assertThat(FleetPlanner.plan(new View(3, Optional.of(g), List.of(), Map.of(), Set.of(), RANKING, Set.of(),
                true, false)).steps()).containsExactly(new Step.Delete());
        assertThat(FleetPlanner.plan(new View(3, Optional.empty(), List.of(), Map.of(), Set.of(), RANKING, Set.of(),
                true, false)).steps()).isEmpty();
    }
}
