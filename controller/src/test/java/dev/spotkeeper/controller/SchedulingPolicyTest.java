package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.lifecycle.InstanceState;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulingPolicyTest {

    private static String runningInstance(Harness h, String name) {
        h.step();
        String id = h.head(name).instanceId();
        h.send(h.report(id, name, "restored", Map.of()));
        h.step();
        return id;
    }

    @Test
    void onDemandPolicy_makesTheNextLaunchOnDemand() {
        Harness h = new Harness("on-demand");
        h.submit(Harness.spec("train").deadline(Duration.ofHours(10)).build());
        h.step();

        String id = h.head("train").instanceId();
        assertThat(h.instance(id).spot()).isFalse();
        assertThat(h.compute.requestOf(id).spot()).isFalse();
        assertThat(h.compute.requestOf(id).maxPrice()).isEmpty();
        assertThat(h.events).anyMatch(e -> e.kind() == ControllerEvent.Kind.SCHEDULED
                && e.message().contains("on-demand in us-east-1") && e.message().contains("policy on-demand"));
    }

    @Test
    void spotPolicy_keepsSpotInItsZone_whileTheDeadlineIsFarAway() {
        Harness h = new Harness("spot-one-zone");
        h.submit(Harness.spec("train").deadline(Duration.ofHours(10)).build());
        String id = runningInstance(h, "train");

        for (int i = 0; i < 6; i++) {
            h.advance(Duration.ofMinutes(20));
            h.send(h.report(id, "train", "progress", Map.of("progress", String.valueOf(0.1 * (i + 1)))));
            h.step();
        }

        assertThat(h.instances("train")).hasSize(1);
        assertThat(h.instance(id).spot()).isTrue();
        assertThat(h.instance(id).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.instance(id).poolKey()).isEqualTo(Harness.A);
        assertThat(h.count(ControllerEvent.Kind.RELOCATING)).isZero();
    }

    @Test
    void noneDecision_launchesNothing_andLetsTheEvacuatedInstanceGo() {
        // spot-one-zone wants only us-east-1a; once it interrupted us the policy holds off.
        Harness h = new Harness("spot-one-zone");
        h.submit(Harness.spec("train").deadline(Duration.ofHours(10)).build());
        String id = runningInstance(h, "train");

        h.send(h.warning(id));
        h.step();
        assertThat(h.instance(id).replacedBy()).isEmpty();
        assertThat(h.compute.launchCalls()).hasSize(1);

        h.send(h.report(id, "train", "evacuated", Map.of("checkpoint", "ckpt-0000000001-" + id)));
        h.step();
        h.step();
        assertThat(h.instance(id).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.compute.alive()).isEmpty();
        assertThat(h.compute.launchCalls()).hasSize(1);
        assertThat(h.events).anyMatch(e -> e.kind() == ControllerEvent.Kind.SCHEDULED
                && e.message().startsWith("no launch for now"));
    }

    @Test
    void safetyNet_overridesAPolicyThatWouldMissTheDeadline() {
        Harness h = new Harness("spot-one-zone");
        h.submit(Harness.spec("train").deadline(Duration.ofHours(4)).build());
        String id = runningInstance(h, "train");
        h.advance(Duration.ofHours(3));
        h.send(h.report(id, "train", "progress", Map.of("progress", "0.6")));
        h.send(h.warning(id));
        h.step();

        String next = h.instance(id).replacedBy();
        assertThat(next).isNotEmpty();
        assertThat(h.instance(next).spot()).isFalse();
        assertThat(h.compute.requestOf(next).spot()).isFalse();
        assertThat(h.events).anyMatch(e -> e.kind() == ControllerEvent.Kind.SCHEDULED
                && e.message().contains("overridden by the deadline rule"));
    }

    @Test
    void spotkeeperPolicy_onSpotWithTheDeadlineAtRisk_evacuatesFirstThenRelaunchesOnDemand() {
        Harness h = new Harness();
        h.submit(Harness.spec("train").deadline(Duration.ofHours(4)).build());
        String id = runningInstance(h, "train");
        h.advance(Duration.ofHours(2));
        h.send(h.report(id, "train", "progress", Map.of("progress", "0.4")));
        h.step();

        assertThat(h.instance(id).state()).isEqualTo(InstanceState.EVACUATING);
        assertThat(h.compute.instance(id).tags()).containsKey("spotkeeper:evacuate");
        assertThat(h.compute.launchCalls()).as("nothing launched before the checkpoint is committed").hasSize(1);

        h.send(h.report(id, "train", "evacuated", Map.of("checkpoint", "ckpt-0000000002-" + id)));
        h.step();

        String next = h.instance(id).replacedBy();
        assertThat(h.instance(next).spot()).isFalse();
        assertThat(h.compute.requestOf(next).spot()).isFalse();
        assertThat(h.instance(id).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.events).anyMatch(e -> e.kind() == ControllerEvent.Kind.RELOCATING
                && e.message().contains("moving to on-demand"));
    }

    @Test
    void workloadWithoutDeadline_isUnaffectedByThePolicy() {
        Harness h = new Harness("on-demand");
        h.submit(Harness.spec("train").build());
        String id = runningInstance(h, "train");
        h.advance(Duration.ofHours(5));
        h.step();

        assertThat(h.instance(id).spot()).isTrue();
        assertThat(h.instance(id).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.instance(id).poolKey()).isEqualTo(Harness.A);
        assertThat(h.count(ControllerEvent.Kind.SCHEDULED)).isZero();
    }

    @Test
    void unknownPolicyName_isRefusedWithTheKnownNames() {
        assertThatThrownBy(() -> ControllerConfig.defaults("ami", "agent").withSchedulingPolicy("spotkeper"))
                .isInstanceOf(SpotkeeperException.class)
                .hasMessageContaining("did you mean spotkeeper")
                .hasMessageContaining("known: on-demand");
    }
}
