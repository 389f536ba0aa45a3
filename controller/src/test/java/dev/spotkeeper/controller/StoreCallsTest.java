package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.lifecycle.InstanceState;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How many store calls a pass makes: each is one request (or one Query) on DynamoDB. */
class StoreCallsTest {
    private final Harness h = new Harness();
    private String first;

    @BeforeEach
    void running() {
        h.submit(Harness.spec("train").build());
        h.step();
        first = h.head("train").instanceId();
        h.send(h.report(first, "train", "restored", Map.of("checkpoint", "")));
        h.step();
        h.advance(Duration.ofSeconds(10));
        h.step();
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.RUNNING);
        h.counted.reset();
    }

    @Test
    void idlePass_ofARunningJob_readsTwice_andWritesNothing() {
        h.advance(Duration.ofSeconds(10));

        h.step();

        assertThat(h.counted.reads()).containsExactly("workloads", "snapshot");
        assertThat(h.counted.writes()).isEmpty();
    }

    @Test
    void passWithOneWarning_readsAtMostFourTimes() {
        h.send(h.warning(first));

        h.step();

        assertThat(h.instance(first).state()).as("the warning was acted on").isEqualTo(InstanceState.EVACUATING);
        assertThat(h.instances("train")).hasSize(2);
        assertThat(h.counted.reads()).hasSizeLessThanOrEqualTo(4);
        assertThat(h.counted.reads()).containsOnly("workloads", "instance", "snapshot");
    }

    @Test
    void passThatBillsAnHour_readsTheLedgerOnlyInItsSnapshot() {
        h.advance(Duration.ofMinutes(61));

        h.step();

        assertThat(h.counted.writes()).contains("appendLedger");
        assertThat(h.counted.reads()).containsExactly("workloads", "snapshot");
    }
}
