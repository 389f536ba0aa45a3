package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.store.OutboxEvent;
import dev.spotkeeper.core.store.WorkloadStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A limit is told before it is reached, with what is left, once per limit whatever the controllers. */
class LimitNoticeTest {
    private final Harness h = new Harness();

    private Instant running() {
        h.step();
        String id = h.head("train").instanceId();
        h.send(h.report(id, "train", "restored", Map.of()));
        h.step();
        return h.clock.instant();
    }

    private List<OutboxEvent> outbox(Kind kind) {
        return h.store.events(0, 10_000).stream().filter(e -> e.kind().equals(kind.name())).toList();
    }

    private void minuteByMinute(int minutes) {
        for (int i = 0; i < minutes && h.workload("train").status() == WorkloadStatus.RUNNING; i++) {
            h.advance(Duration.ofMinutes(1));
            h.step();
        }
    }

    @Test
    void maxDuration_isToldATenthOfItBeforeTheStop_withTheTimeLeft_thenWhenReached() {
        h.submit(Harness.spec("train").maxDuration(Duration.ofHours(1)).build());
        Instant start = running();
        Instant stop = start.plus(Duration.ofHours(1)).minusSeconds(30);

        minuteByMinute(53);
        assertThat(outbox(Kind.LIMIT_NEAR)).as("more than 6 min left").isEmpty();
        minuteByMinute(1);
        assertThat(outbox(Kind.LIMIT_NEAR)).singleElement().satisfies(e -> {
            assertThat(e.time()).isEqualTo(start.plus(Duration.ofMinutes(54)));
            assertThat(e.fields().deadline()).as("typed, for whoever tells it").contains(stop);
            assertThat(e.message()).isEqualTo("max duration PT1H near: 5 min 30 s left; the job checkpoints and stops"
                    + " at " + stop + " (counted from its start at " + start + ")");
        });
        minuteByMinute(10);

        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.FAILED);
        assertThat(outbox(Kind.LIMIT_NEAR)).as("told once").hasSize(1);
        assertThat(outbox(Kind.LIMIT_REACHED)).singleElement()
                .satisfies(e -> assertThat(e.time()).isAfter(start.plus(Duration.ofMinutes(54))));
    }

    @Test
    void maxDurationNotice_isNotToldAgain_byARestartedOrASecondController() {
        h.submit(Harness.spec("train").maxDuration(Duration.ofHours(1)).build());
        running();
        minuteByMinute(55);
        assertThat(outbox(Kind.LIMIT_NEAR)).hasSize(1);

        h.controller = h.newController();
        Controller second = h.newController();
        h.advance(Duration.ofMinutes(1));
        second.runOnce();
        h.step();

        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.RUNNING);
        assertThat(outbox(Kind.LIMIT_NEAR)).hasSize(1);
    }

    @Test
    void budget_isToldWhenATenthIsLeft_withTheMoneyAndTimeLeft_beforeItIsReached() {
        h.submit(Harness.spec("train").budget(0.10).build());
        running();

        minuteByMinute(300);

        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.FAILED);
        List<OutboxEvent> near = outbox(Kind.LIMIT_NEAR);
        assertThat(near).singleElement().satisfies(e -> assertThat(e.message()).startsWith("budget $0.10 near: $0.0")
                .contains(" left (").contains("at $0.0300/h), about ").contains("; the job checkpoints and stops at "));
        OutboxEvent reached = outbox(Kind.LIMIT_REACHED).get(0);
        assertThat(near.get(0).sequence()).isLessThan(reached.sequence());
        assertThat(Duration.between(near.get(0).time(), reached.time())).as("a tenth of $0.10 at $0.03/h")
                .isBetween(Duration.ofMinutes(15), Duration.ofMinutes(21));
    }
}
