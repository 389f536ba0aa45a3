package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RelocationTest {
    private final Harness h = new Harness();
    private String first;

    @BeforeEach
    void running() {
        h.submit(Harness.spec("train").relocation(Duration.ofMinutes(30), 0.2).build());
        h.step();
        first = h.head("train").instanceId();
        h.send(h.report(first, "train", "restored", Map.of()));
        h.step();
    }

    @Test
    void muchCheaperPool_evacuatesFirstThenMoves() {
        h.price(Harness.C, 0.010);
        h.advance(Duration.ofMinutes(31));

        h.step();

        assertThat(h.instance(first).state()).isEqualTo(InstanceState.EVACUATING);
        assertThat(h.compute.all()).as("nothing launched before the checkpoint is committed").hasSize(1);
        assertThat(h.events).anyMatch(e -> e.kind() == ControllerEvent.Kind.RELOCATING);

        h.send(h.report(first, "train", "evacuated", Map.of("checkpoint", "ckpt-0000000002-" + first)));
        h.step();

        InstanceRecord next = h.head("train");
        assertThat(next.poolKey()).isEqualTo(Harness.C);
        assertThat(next.replaces()).isEqualTo(first);
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.TERMINATED);
    }

    @Test
    void relocation_doesNotLoop() {
        h.price(Harness.C, 0.010);
        for (int i = 0; i < 40; i++) {
            h.advance(Duration.ofMinutes(10));
            h.step();
            for (InstanceRecord r : h.instances("train")) {
                if (r.state() == InstanceState.EVACUATING) {
                    h.send(h.report(r.instanceId(), "train", "evacuated", Map.of()));
                }
                if (r.state() == InstanceState.PENDING) {
                    h.send(h.report(r.instanceId(), "train", "restored", Map.of()));
                }
            }
        }

        assertThat(h.count(ControllerEvent.Kind.RELOCATING)).isEqualTo(1);
        assertThat(h.compute.all()).hasSize(2);
        assertThat(h.head("train").poolKey()).isEqualTo(Harness.C);
    }

    @Test
    void gainBelowMinGain_staysPut() {
        h.price(Harness.C, 0.026);
        h.advance(Duration.ofHours(2));

        h.step();

        assertThat(h.instance(first).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.count(ControllerEvent.Kind.RELOCATING)).isZero();
    }

    @Test
    void beforeEvery_staysPut() {
        h.price(Harness.C, 0.010);
        h.advance(Duration.ofMinutes(29));

        h.step();

        assertThat(h.instance(first).state()).isEqualTo(InstanceState.RUNNING);
    }

    @Test
    void relocation_isNotRememberedAsAnInterruption() {
        h.price(Harness.C, 0.010);
        h.advance(Duration.ofMinutes(31));
        h.step();
        h.send(h.report(first, "train", "evacuated", Map.of()));
        h.step();
        String second = h.head("train").instanceId();
        h.send(h.report(second, "train", "restored", Map.of()));
        h.step();

        h.price(Harness.C, 0.090);
        h.advance(Duration.ofMinutes(31));
        h.step();
        h.send(h.report(second, "train", "evacuated", Map.of()));
        h.step();

        assertThat(h.head("train").poolKey()).as("pool A left by relocation is not avoided").isEqualTo(Harness.A);
    }
}
