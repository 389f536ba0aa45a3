package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.protocol.AgentProtocol;
import dev.spotkeeper.core.store.WorkloadStatus;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reports the controller cannot read are refused with one line in the journal, and change nothing. */
class AgentProtocolTest {
    private final Harness h = new Harness();
    private String first;

    @BeforeEach
    void running() {
        h.submit(Harness.spec("train").build());
        h.step();
        first = h.head("train").instanceId();
        h.send(h.report(first, "train", "restored", Map.of("checkpoint", "", "protocol", "1")));
        h.step();
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.RUNNING);
    }

    @Test
    void unknownReport_isIgnoredWithOneLine_andTheNextReportIsStillHandled() {
        h.send(h.report(first, "train", "hibernating", Map.of("until", "2026-03-01T10:05:00Z")));
        h.step();

        assertThat(h.events).filteredOn(e -> e.kind() == Kind.IGNORED_EVENT).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("agent report 'hibernating' is not one this"
                        + " controller knows"));
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.RUNNING);

        h.send(h.report(first, "train", "exited", Map.of("exitCode", "0", "results", "")));
        h.step();
        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.SUCCEEDED);
    }

    @Test
    void reportOfANewerProtocol_isRefusedNamingTheVersions_andDoesNotEndTheJob() {
        int newer = AgentProtocol.VERSION + 1;
        h.send(h.report(first, "train", "exited", Map.of("exitCode", "0", "results", "", "protocol",
                Integer.toString(newer))));
        h.step();

        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.RUNNING);
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.events).filteredOn(e -> e.kind() == Kind.IGNORED_EVENT).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("speaks protocol " + newer)
                        .contains("upgrade the controller"));
    }
}
