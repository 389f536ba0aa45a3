package dev.spotkeeper.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.controller.internal.FleetPlanner.Risk;
import dev.spotkeeper.core.cloud.FleetPort;
import dev.spotkeeper.core.cloud.FleetPort.GroupSpec;
import dev.spotkeeper.core.cloud.FleetPort.Member;
import dev.spotkeeper.core.cloud.FleetPort.TargetSpec;
import dev.spotkeeper.testkit.MutableClock;
import dev.spotkeeper.testkit.cloud.InMemoryCompute;
import dev.spotkeeper.testkit.cloud.InMemoryFleet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The planner's steps applied to a fleet, pass after pass, as the group and its target group answer. */
class FleetStepsTest {
    private static final List<String> RANKING = List.of("m5.large", "m5a.large");
    private static final GroupSpec BASE = new GroupSpec("web", "us-east-1", "ami-0e5f0a1b2c3d40001", "true", RANKING,
            List.of("us-east-1a"), 3, 4, 0, "price-capacity-optimized", Map.of("spotkeeper:workload", "web"),
            new TargetSpec(8080, "/health", Duration.ofSeconds(5), 2, 2, Duration.ofSeconds(120), 80),
            Duration.ofMinutes(5), Optional.empty());

    private final InMemoryFleet cloud = new InMemoryFleet();
    private final FleetSteps steps = new FleetSteps(cloud, new InMemoryCompute(new MutableClock(Instant.parse(
            "2026-12-07T12:00:00Z"))));
    private Optional<FleetPort.Fleet> fleet = Optional.empty();
    private final Set<String> detached = new HashSet<>();

    private FleetSteps.Applied pass(Map<String, Risk> atRisk, boolean cancelled) {
        FleetPlanner.Decision d = FleetPlanner.plan(new FleetPlanner.View(3, cloud.group("us-east-1", "web"),
                cloud.targetHealth("us-east-1", "tg/web"), atRisk, detached, RANKING, Set.of(), cancelled, false));
        FleetSteps.Applied applied = steps.apply(BASE, fleet, d.steps());
        fleet = applied.fleet();
        detached.addAll(applied.detached());
        applied.terminated().forEach(detached::remove);
        return applied;
    }

    private List<Member> members() {
        return cloud.group("us-east-1", "web").orElseThrow().members();
    }

    private void serveAll() {
        members().stream().filter(m -> m.lifecycleState().equals("Pending"))
                .forEach(m -> cloud.serve("web", m.instanceId()));
    }

    @Test
    void warning_detachesWithTheReplacementAtOnce_andTerminatesOnceDrained() {
        pass(Map.of(), false);
        serveAll();
        String warned = members().get(1).instanceId();

        FleetSteps.Applied onWarning = pass(Map.of(warned, Risk.WARNING), false);

        assertThat(onWarning.detached()).containsExactly(warned);
        assertThat(cloud.group("us-east-1", "web").orElseThrow().counted()).hasSize(3)
                .extracting(Member::instanceId).doesNotContain(warned);
        assertThat(pass(Map.of(warned, Risk.WARNING), false).lines()).isEmpty();
        cloud.drained("web", warned);
        assertThat(pass(Map.of(warned, Risk.WARNING), false).terminated()).containsExactly(warned);
        assertThat(cloud.group("us-east-1", "web").orElseThrow().desired()).isEqualTo(3);
    }

    @Test
    void rebalance_launchesBeforeItTerminates_andEndsAtReplicas() {
        pass(Map.of(), false);
        serveAll();
        String atRisk = members().get(0).instanceId();
        Map<String, Risk> risk = Map.of(atRisk, Risk.REBALANCE);

        pass(risk, false);
        assertThat(cloud.group("us-east-1", "web").orElseThrow().desired()).isEqualTo(4);
        assertThat(pass(risk, false).detached()).isEmpty();
        serveAll();
        assertThat(pass(risk, false).detached()).containsExactly(atRisk);

        FleetPort.Group after = cloud.group("us-east-1", "web").orElseThrow();
        assertThat(after.desired()).isEqualTo(3);
        assertThat(after.counted()).hasSize(3).extracting(Member::lifecycleState).containsOnly("InService");
    }

    @Test
    void cancel_deletesTheGroup() {
        pass(Map.of(), false);

        pass(Map.of(), true);

        assertThat(cloud.group("us-east-1", "web")).isEmpty();
    }
}
