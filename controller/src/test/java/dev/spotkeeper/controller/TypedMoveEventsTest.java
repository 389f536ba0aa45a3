package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.store.OutboxEvent;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RELOCATING and SCHEDULED carry where the work was, where it goes, why, and the saving expected, as fields. */
class TypedMoveEventsTest {
    private static OutboxEvent only(Harness h, String kind) {
        return h.store.events(0, 10_000).stream().filter(e -> e.kind().equals(kind)).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void aRelocation_carriesFromToTheCheaperPoolAndTheSavingPerHour() {
        Harness h = new Harness();
        h.submit(Harness.spec("train").relocation(Duration.ofMinutes(30), 0.2).build());
        h.step();
        String first = h.head("train").instanceId();
        String from = h.instance(first).poolKey();
        h.send(h.report(first, "train", "restored", Map.of()));
        h.step();
        h.price(Harness.C, 0.010);
        h.advance(Duration.ofMinutes(31));
        h.step();

        OutboxEvent e = only(h, "RELOCATING");
        double current = e.fields().pricePerHour().orElseThrow();
        assertThat(e.instanceId()).isEqualTo(first);
        assertThat(e.fields().from()).isEqualTo(from);
        assertThat(e.fields().to()).isEqualTo(Harness.C);
        assertThat(e.fields().reason()).isEqualTo("cheaper-pool");
        assertThat(e.fields().savingPerHour()).hasValueSatisfying(v ->
                assertThat(v).isCloseTo(current - 0.010, org.assertj.core.data.Offset.offset(1e-9)));
    }

    @Test
    void aDecisionOverriddenForTheDeadline_carriesFromSpotToOnDemandWhyAndTheDeadline() {
        Harness h = new Harness("spot-one-zone");
        h.submit(Harness.spec("train").deadline(Duration.ofHours(4)).build());
        h.step();
        String id = h.head("train").instanceId();
        h.send(h.report(id, "train", "restored", Map.of()));
        h.step();
        assertThat(only(h, "SCHEDULED").fields().to()).as("the first decision").isEqualTo("spot");
        assertThat(only(h, "SCHEDULED").fields().from()).isEmpty();

        h.advance(Duration.ofHours(3));
        h.send(h.report(id, "train", "progress", Map.of("progress", "0.6")));
        h.send(h.warning(id));
        h.step();

        OutboxEvent e = only(h, "SCHEDULED");
        assertThat(e.message()).contains("overridden by the deadline rule");
        assertThat(e.fields().from()).isEqualTo("spot");
        assertThat(e.fields().to()).isEqualTo("on-demand");
        assertThat(e.fields().reason()).isEqualTo("deadline");
        assertThat(e.fields().deadline()).contains(Harness.T0.plus(Duration.ofHours(4)));
    }

    @Test
    void anAwsHealthScheduledChange_putsTheInstanceAtRiskWithTheChangesStartTime() {
        Harness h = new Harness();
        h.submit(Harness.spec("train").build());
        h.step();
        String id = h.head("train").instanceId();
        h.send(h.report(id, "train", "restored", Map.of()));
        h.step();

        h.send(h.event("aws.health", "AWS Health Event", Map.of("service", "EC2", "eventTypeCategory",
                "scheduledChange", "eventTypeCode", "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED", "startTime",
                "Sun, 15 Mar 2026 09:00:00 GMT"), Map.of("resources", java.util.List.of(id))));
        h.step();

        OutboxEvent e = only(h, "AT_RISK");
        assertThat(e.instanceId()).isEqualTo(id);
        assertThat(e.message()).startsWith("scheduled change AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED starting"
                + " 2026-03-15T09:00:00Z; evacuate by ");
        assertThat(e.fields().changeAt()).contains(java.time.Instant.parse("2026-03-15T09:00:00Z"));
        assertThat(e.fields().deadline()).isPresent();
    }
}
