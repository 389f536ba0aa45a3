package dev.spotkeeper.notify.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.store.EventFields;
import dev.spotkeeper.core.workload.NotifyEvent;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which notify event a controller event is, where one kind covers two. */
class EventMappingTest {
    @Test
    void scheduling_tellsTheSwitchToOnDemandAndTheWayBack_butNotTheFirstSpotDecision() {
        EventMapping m = new EventMapping();

        assertThat(m.map("train", "SCHEDULED", "spot, preferring us-east-1a (policy spotkeeper; …)")).isEmpty();
        assertThat(m.map("train", "SCHEDULED", "on-demand in us-east-1 (policy spotkeeper, overridden by the deadline"
                + " rule; …)")).contains(NotifyEvent.ON_DEMAND);
        assertThat(m.map("train", "SCHEDULED", "on-demand in us-east-1 (…)")).as("no switch").isEmpty();
        assertThat(m.map("train", "SCHEDULED", "spot, preferring us-east-1b (…)")).as("back to spot")
                .contains(NotifyEvent.ON_DEMAND);
        assertThat(m.map("other", "SCHEDULED", "on-demand in us-east-1 (…)")).as("per workload")
                .contains(NotifyEvent.ON_DEMAND);
    }

    @Test
    void typedMoves_areMappedByTheirFromAndTo_notByTheirWords() {
        EventMapping m = new EventMapping();

        assertThat(m.map("t", "RELOCATING", "moving for the deadline", EventFields.NONE.withMove("a/b/c",
                "on-demand", "deadline"))).contains(NotifyEvent.ON_DEMAND);
        assertThat(m.map("t", "RELOCATING", "on-demand is dearer: a/b/d beats a/b/c", EventFields.NONE.withMove(
                "a/b/c", "a/b/d", "cheaper-pool"))).contains(NotifyEvent.RELOCATED);
        assertThat(m.map("t", "SCHEDULED", "a decision", EventFields.NONE.withMove("", "on-demand", "policy")))
                .as("the first decision, on-demand").contains(NotifyEvent.ON_DEMAND);
        assertThat(m.map("t", "SCHEDULED", "on-demand in us-east-1 (…)", EventFields.NONE.withMove("", "spot",
                "policy"))).as("the first decision, spot, whatever the words say").isEmpty();
        assertThat(m.map("t", "SCHEDULED", "spot, preferring us-east-1b (…)", EventFields.NONE.withMove("on-demand",
                "spot", "policy"))).as("back to spot").contains(NotifyEvent.ON_DEMAND);
        assertThat(m.map("t", "SCHEDULED", "x", EventFields.NONE.withMove("spot", "none", "policy"))).isEmpty();
    }

    @Test
    void atRisk_isARebalanceOrAWarningByItsCause_andCheckpointsAreNotTold() {
        EventMapping m = new EventMapping();

        assertThat(m.map("t", "AT_RISK", "rebalance recommendation; evacuate by 2026-03-01T00:05:00Z"))
                .contains(NotifyEvent.REBALANCE);
        assertThat(m.map("t", "AT_RISK", "interruption warning (terminate); evacuate by 2026-03-01T00:02:00Z"))
                .contains(NotifyEvent.WARNING);
        assertThat(m.map("t", "RELOCATING", "the deadline is at risk on spot: moving to on-demand"))
                .contains(NotifyEvent.ON_DEMAND);
        assertThat(m.map("t", "CHECKPOINTED", "ckpt-1")).isEmpty();
        assertThat(m.map("t", "IGNORED_EVENT", "x")).isEmpty();
    }

    @Test
    void timeLeft_isReadFromTheWarningsDeadline() {
        Instant at = Instant.parse("2026-03-01T00:00:00Z");

        assertThat(EventMapping.timeLeft("interruption warning (terminate); evacuate by 2026-03-01T00:01:45Z", at))
                .contains(Duration.ofSeconds(105));
        assertThat(EventMapping.timeLeft("no deadline here", at)).isEmpty();
        assertThat(EventMapping.timeLeft("evacuate by tomorrow", at)).isEmpty();
    }
}
