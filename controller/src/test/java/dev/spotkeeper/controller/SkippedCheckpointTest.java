package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A checkpoint the agent's restore passed over is in the event log with its reason, and in the workload's record. */
class SkippedCheckpointTest {
    private final Harness h = new Harness();

    @Test
    void skippedCheckpoints_areLoggedEachWithItsReason_andTheRestoredOneBecomesTheWorkloadsCheckpoint() {
        h.submit(Harness.spec("train").build());
        h.step();
        String first = h.head("train").instanceId();
        h.send(h.report(first, "train", "restored", Map.of("checkpoint", "")));
        h.send(h.report(first, "train", "checkpointed", Map.of("checkpoint", "ckpt-0000000002-" + first)));
        h.send(h.report(first, "train", "checkpointed", Map.of("checkpoint", "ckpt-0000000003-" + first)));
        h.step();
        assertThat(h.workload("train").lastCheckpoint()).isEqualTo("ckpt-0000000003-" + first);
        h.send(h.warning(first));
        h.step();
        String second = h.instance(first).replacedBy();
        List<String> skipped = List.of("ckpt-0000000004-" + first + ": incomplete: no manifest.json (its upload did"
                + " not finish)", "ckpt-0000000003-" + first + ": checksum mismatch for model.bin at offset 16777216");

        h.send(h.report(second, "train", "restored", Map.of("checkpoint", "ckpt-0000000002-" + first,
                "skipped", Json.write(skipped))));
        h.step();

        assertThat(h.events).filteredOn(e -> e.kind() == Kind.CHECKPOINT_SKIPPED).extracting(ControllerEvent::message)
                .containsExactly("skipped " + skipped.get(0), "skipped " + skipped.get(1));
        assertThat(h.workload("train").lastCheckpoint()).as("not the corrupt newer one")
                .isEqualTo("ckpt-0000000002-" + first);
        assertThat(h.workload("train").run().restoredCheckpoint()).isEqualTo("ckpt-0000000002-" + first);
        assertThat(h.workload("train").run().skippedCheckpoints()).isEqualTo(skipped);

        h.send(h.report(second, "train", "checkpointed", Map.of("checkpoint", "ckpt-0000000005-" + second)));
        h.step();
        assertThat(h.workload("train").lastCheckpoint()).isEqualTo("ckpt-0000000005-" + second);
    }

    @Test
    void aRestoreThatSkippedNothing_logsNoSkip() {
        h.submit(Harness.spec("train").build());
        h.step();
        String first = h.head("train").instanceId();

        h.send(h.report(first, "train", "restored", Map.of("checkpoint", "", "skipped", "[]")));
        h.step();

        assertThat(h.events).noneMatch(e -> e.kind() == Kind.CHECKPOINT_SKIPPED);
        assertThat(h.workload("train").run().skippedCheckpoints()).isEmpty();
    }
}
