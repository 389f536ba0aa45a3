package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.store.WorkloadStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A name submitted again after its run ended starts a run of its own: its spend and budget start from nothing. */
class ResubmissionTest {
    private final Harness h = new Harness();

    private String launchAndStart() {
        h.step();
        String id = h.head("train").instanceId();
        h.send(h.report(id, "train", "restored", Map.of("checkpoint", "")));
        h.step();
        return id;
    }

    @Test
    void aNameSubmittedAgainAfterCancel_countsOnlyItsOwnSpend_andKeepsGenerationsUnique() {
        h.submit(Harness.spec("train").budget(0.05).build());
        String first = launchAndStart();
        h.advance(Duration.ofMinutes(96)); // 1.6 h at $0.03/h: $0.048 of the $0.05
        h.step();
        h.controller.cancel("train");
        h.step();
        assertThat(h.controller.spent("train")).isGreaterThan(0.04);

        h.submit(Harness.spec("train").budget(0.05).build());
        String second = launchAndStart();
        for (int i = 0; i < 10; i++) {
            h.advance(Duration.ofMinutes(1));
            h.step();
        }

        assertThat(second).isNotEqualTo(first);
        assertThat(h.compute.requestOf(second).clientToken()).isEqualTo("train-2");
        assertThat(h.workload("train").status()).as(h.events.toString()).isEqualTo(WorkloadStatus.RUNNING);
        assertThat(h.controller.spent("train")).isCloseTo(10 / 60.0 * 0.03, org.assertj.core.data.Offset.offset(1e-6));
    }
}
