package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.store.InstanceRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What one controller learned and decided is in the store: the next one, or a second one, decides the same. */
class PersistedPolicyStateTest {
    private static String running(Harness h) {
        h.step();
        String id = h.head("train").instanceId();
        h.send(h.report(id, "train", "restored", Map.of("checkpoint", "")));
        h.step();
        return id;
    }

    @Test
    void aCapacityRefusal_isAvoidedByARestartedController() {
        Harness h = new Harness();
        h.compute.removeCapacity(Harness.A);
        h.submit(Harness.spec("train").build());
        String first = running(h);
        assertThat(h.instance(first).poolKey()).as("A refused capacity").isEqualTo(Harness.B);
        h.compute.restoreCapacity(Harness.A);

        h.controller = h.newController();
        h.step();
        h.send(h.warning(first));
        h.step();

        InstanceRecord replacement = h.instance(h.instance(first).replacedBy());
        assertThat(replacement.poolKey()).as("B is being left and A refused ten seconds ago").isEqualTo(Harness.C);
    }

    @Test
    void aCapacityRefusalSeenByOneController_isAvoidedByAnotherOnTheSameStore() {
        Harness h = new Harness();
        h.submit(Harness.spec("train").build());
        String first = running(h);
        Controller other = h.newController();
        other.runOnce();
        h.compute.removeCapacity(Harness.B);
        h.send(h.warning(first));
        h.step();
        String second = h.instance(first).replacedBy();
        assertThat(h.instance(second).poolKey()).as("A is being left, B refused").isEqualTo(Harness.C);
        h.compute.restoreCapacity(Harness.B);
        h.send(h.report(second, "train", "restored", Map.of("checkpoint", "")));
        h.step();

        h.send(h.warning(second));
        other.runOnce();

        InstanceRecord third = h.instance(h.instance(second).replacedBy());
        assertThat(third.poolKey()).as("the other controller avoids A (interrupted) and B (refused) too")
                .isNotEqualTo(Harness.B);
    }

    @Test
    void aRestartedController_keepsThePolicyDecisionOfTheTickUnderWay() {
        Harness h = new Harness("spot-one-zone");
        h.submit(Harness.spec("train").deadline(Duration.ofHours(10)).build());
        running(h);
        h.advance(Duration.ofSeconds(30));
        h.step();
        assertThat(h.store.policyState("train").orElseThrow().merged()).isEqualTo("spot:us-east-1a");
        // Now us-east-1b ranks first: a policy created afresh would take it for its zone.
        h.price(Harness.A, 0.09);
        int before = h.events.size();

        h.controller = h.newController();
        h.advance(Duration.ofMinutes(1));
        h.step();
        h.step();

        List<ControllerEvent> after = h.events.subList(before, h.events.size());
        assertThat(after).noneMatch(e -> e.kind() == ControllerEvent.Kind.SCHEDULED);
        assertThat(h.store.policyState("train").orElseThrow().merged()).isEqualTo("spot:us-east-1a");
    }
}
