package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.WorkloadStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code maxDuration} counts from when the job first runs, and keeps only the margin its last checkpoint needs. */
class MaxDurationTest {
    private final Harness h = new Harness();

    /** Submits, launches, lets the agent boot for {@code boot} and reports the restore: the job starts then. */
    private String started(Duration maxDuration, Duration boot) {
        h.submit(Harness.spec("train").maxDuration(maxDuration).build());
        h.step();
        String id = h.head("train").instanceId();
        h.advance(boot);
        h.send(h.report(id, "train", "restored", Map.of("checkpoint", "")));
        h.step();
        return id;
    }

    private void at(Instant when) {
        h.advance(Duration.between(h.clock.instant(), when));
        h.step();
    }

    @Test
    void oneMinute_countsFromTheJobsStart_andStopsItThirtySecondsBeforeTheEnd() {
        Instant submitted = h.clock.instant();
        String id = started(Duration.ofMinutes(1), Duration.ofSeconds(20));
        Instant start = submitted.plusSeconds(20);

        at(start.plusSeconds(29));
        assertThat(h.workload("train").status()).as(h.events.toString()).isEqualTo(WorkloadStatus.RUNNING);
        assertThat(h.instance(id).state()).isEqualTo(InstanceState.RUNNING);

        at(start.plusSeconds(30));
        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.FAILED);
        assertThat(h.instance(id).state()).isEqualTo(InstanceState.EVACUATING);
        assertThat(h.compute.instance(id).tags()).as("the checkpoint is due by the end of the limit")
                .containsEntry("spotkeeper:evacuate", start.plusSeconds(60).toString());
        assertThat(h.events).filteredOn(e -> e.kind() == Kind.FAILED).singleElement()
                .satisfies(e -> assertThat(e.message()).startsWith("max duration PT1M reached (counted from the job's"
                        + " start at " + start));
    }

    @Test
    void threeMinutes_runTheJobTwoAndAHalfMinutes_notOne() {
        Instant submitted = h.clock.instant();
        started(Duration.ofMinutes(3), Duration.ofSeconds(4));

        at(submitted.plusSeconds(62));
        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.RUNNING);
        at(submitted.plusSeconds(4 + 149));
        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.RUNNING);
        at(submitted.plusSeconds(4 + 150));
        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.FAILED);
    }

    @Test
    void margin_growsWithTheUploadsTheAgentReports_upToTheTwoMinuteWindow() {
        Instant start = h.clock.instant();
        String id = started(Duration.ofMinutes(10), Duration.ZERO);
        h.send(h.report(id, "train", "checkpointed", Map.of("checkpoint", "ckpt-0000000001-" + id, "bytes", "9",
                "seconds", "40", "storedBytes", "9")));
        h.step();

        // 2 x 40 s + 5 s = 85 s before the end.
        at(start.plus(Duration.ofMinutes(10)).minusSeconds(86));
        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.RUNNING);
        at(start.plus(Duration.ofMinutes(10)).minusSeconds(85));
        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.FAILED);
    }

    @Test
    void margin_isNeverMoreThanTheTwoMinutesAWarningGives() {
        Instant start = h.clock.instant();
        String id = started(Duration.ofMinutes(10), Duration.ZERO);
        h.send(h.report(id, "train", "checkpointed", Map.of("checkpoint", "ckpt-0000000001-" + id, "bytes", "9",
                "seconds", "600", "storedBytes", "9")));
        h.step();

        at(start.plus(Duration.ofMinutes(8)).minusSeconds(1));
        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.RUNNING);
        at(start.plus(Duration.ofMinutes(8)));
        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.FAILED);
    }

    @Test
    void beforeTheJobRuns_nothingCounts_andTheLogSaysWhenItStarts() {
        h.submit(Harness.spec("train").maxDuration(Duration.ofMinutes(1)).build());
        h.step();
        String id = h.head("train").instanceId();
        h.send(h.report(id, "train", "started", Map.of()));
        h.step();
        h.advance(Duration.ofMinutes(5));
        h.step();
        assertThat(h.workload("train").status()).as("a slow boot and setup use none of the job's time")
                .isEqualTo(WorkloadStatus.RUNNING);
        assertThat(h.workload("train").run().startedAt()).isEmpty();

        Instant start = h.clock.instant();
        h.send(h.report(id, "train", "restored", Map.of("checkpoint", "")));
        h.step();

        assertThat(h.workload("train").run().startedAt()).contains(start);
        assertThat(h.events).filteredOn(e -> e.kind() == Kind.RUNNING && e.message().contains("max duration"))
                .singleElement().satisfies(e -> assertThat(e.message())
                        .isEqualTo("the job runs: its max duration PT1M counts from now and ends at " + start.plusSeconds(60)));
    }

    @Test
    void replacement_keepsCountingFromTheFirstStart_andItsFailSafeTimerEndsWithTheLimit() {
        Instant start = h.clock.instant();
        String first = started(Duration.ofHours(1), Duration.ZERO);
        h.advance(Duration.ofMinutes(20));
        h.send(h.warning(first));
        h.step();
        String second = h.instance(first).replacedBy();
        h.send(h.report(second, "train", "restored", Map.of("checkpoint", "ckpt-0000000003-" + first)));
        h.step();

        assertThat(h.workload("train").run().startedAt()).contains(start);
        // 40 minutes of the hour are left at the replacement's launch, plus the 30 s grace.
        assertThat(h.compute.requestOf(second).userData()).contains("( sleep 2430 && ");
        at(start.plus(Duration.ofHours(1)).minusSeconds(30));
        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.FAILED);
    }

    @Test
    void aNameSubmittedAgain_countsFromItsOwnStart() {
        String first = started(Duration.ofMinutes(10), Duration.ZERO);
        h.controller.cancel("train");
        h.step();
        h.advance(Duration.ofHours(1));

        h.submit(Harness.spec("train").maxDuration(Duration.ofMinutes(10)).build());
        h.step();
        String again = h.head("train").instanceId();
        assertThat(again).isNotEqualTo(first);
        h.send(h.report(again, "train", "restored", Map.of("checkpoint", "")));
        h.step();
        h.advance(Duration.ofMinutes(5));
        h.step();

        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.RUNNING);
    }
}
