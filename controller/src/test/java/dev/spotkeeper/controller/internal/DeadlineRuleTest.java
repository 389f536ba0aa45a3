package dev.spotkeeper.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlineRuleTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    private static InstanceRecord lived(String id, int fromMinute, int toMinute, boolean ended) {
        return new InstanceRecord(id, "train", "us-east-1/us-east-1a/m5.large", true, 0.03,
                ended ? InstanceState.TERMINATED : InstanceState.RUNNING, "", "", T0.plusSeconds(60L * fromMinute),
                T0.plusSeconds(60L * toMinute), 0);
    }

    @Test
    void instancesAtOnce_countOnce_gapsNotAtAll() {
        // 0-60 alone, 50-70 overlapping it (a hand-over), nothing 70-80, 80-now(100) the last one.
        List<InstanceRecord> history = List.of(lived("a", 0, 60, true), lived("b", 50, 70, true),
                lived("c", 80, 80, false));
        assertThat(DeadlineRule.computeSpent(history, T0.plusSeconds(6000))).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void anInstanceWithinAnother_addsNothing() {
        List<InstanceRecord> history = List.of(lived("a", 0, 60, true), lived("b", 10, 20, true));
        assertThat(DeadlineRule.computeSpent(history, T0.plusSeconds(6000))).isEqualTo(Duration.ofMinutes(60));
    }
}
