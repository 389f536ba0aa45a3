package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.ledger.CostKind;
import dev.spotkeeper.core.ledger.CostLedger;
import dev.spotkeeper.core.ledger.LedgerEntry;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.WorkloadStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsTest {
    private final Harness h = new Harness();

    private String runningInstance(String name) {
        h.step();
        String id = h.head(name).instanceId();
        h.send(h.report(id, name, "restored", Map.of()));
        h.step();
        return id;
    }

    @Test
    void ledger_getsOneEntryPerInstanceHour_andTheRestWhenTheInstanceEnds() {
        h.submit(Harness.spec("train").build());
        String id = runningInstance("train");

        h.advance(Duration.ofMinutes(150));
        h.step();
        assertThat(h.store.ledger("train")).hasSize(2).allSatisfy(e -> assertThat(e.hours()).isEqualTo(1.0));

        h.controller.cancel("train");
        h.step();
        h.step();

        List<LedgerEntry> ledger = h.store.ledger("train");
        assertThat(ledger).hasSize(3);
        assertThat(ledger.get(2).hours()).isEqualTo(0.5);
        assertThat(ledger).allSatisfy(e -> assertThat(e.kind()).isEqualTo(CostKind.SPOT));
        CostLedger summary = new CostLedger("train");
        ledger.forEach(summary::add);
        assertThat(summary.summary().total()).isCloseTo(2.5 * 0.030, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(summary.summary().allOnDemand()).isCloseTo(2.5 * 0.096, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(h.instance(id).state()).isEqualTo(InstanceState.TERMINATED);
    }

    @Test
    void budget_asksForACheckpointAndStopsBeforeTheLedgerPassesIt() {
        h.submit(Harness.spec("train").budget(0.10).build());
        String id = runningInstance("train");

        for (int i = 0; i < 300 && h.workload("train").status() == WorkloadStatus.RUNNING; i++) {
            h.advance(Duration.ofMinutes(1));
            h.step();
        }

        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.FAILED);
        assertThat(h.instance(id).state()).isEqualTo(InstanceState.EVACUATING);
        assertThat(h.compute.instance(id).tags()).containsKey("spotkeeper:evacuate");
        h.send(h.report(id, "train", "evacuated", Map.of("checkpoint", "ckpt-0000000009-" + id)));
        h.step();
        h.step();
        assertThat(h.compute.alive()).isEmpty();
        assertThat(h.controller.spent("train")).isLessThanOrEqualTo(0.10);
        assertThat(h.events).anyMatch(e -> e.kind() == ControllerEvent.Kind.LIMIT_REACHED
                && e.message().contains("budget $0.10"));
    }

    @Test
    void deadline_switchesToOnDemandWhenSlackRunsOut() {
        h.submit(Harness.spec("train").deadline(Duration.ofHours(4)).build());
        String id = runningInstance("train");
        h.advance(Duration.ofHours(2));
        h.send(h.report(id, "train", "progress", Map.of("progress", "0.6")));
        h.step();
        assertThat(h.instance(id).spot()).isTrue();

        h.send(h.warning(id));
        h.step();

        String next = h.instance(id).replacedBy();
        assertThat(h.instance(next).spot()).isTrue();

        // The warning comes in the same pass as the deadline rule starts to bite, so no planned move precedes it.
        h.send(h.report(next, "train", "restored", Map.of()));
        h.advance(Duration.ofMinutes(50));
        h.send(h.warning(next));
        h.step();

        String third = h.instance(next).replacedBy();
        assertThat(h.instance(third).spot()).isFalse();
        assertThat(h.compute.requestOf(third).spot()).isFalse();
        assertThat(h.compute.requestOf(third).maxPrice()).isEmpty();
    }
}
