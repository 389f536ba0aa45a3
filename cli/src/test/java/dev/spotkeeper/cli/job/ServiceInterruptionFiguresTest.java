package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.workload.WorkloadKind;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What `spotkeeper chaos` adds to a service's line: the write-unavailable seconds and the rows before and after. */
class ServiceInterruptionFiguresTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final String POOL = "us-east-1/us-east-1a/m5.large";

    private final Map<String, String> s3 = new HashMap<>();

    private static ControllerEvent at(double seconds, String instance, Kind kind, String message) {
        return new ControllerEvent(T0.plusMillis(Math.round(seconds * 1000)), "appdb", instance, kind, message);
    }

    private static List<ControllerEvent> moved() {
        return List.of(
                at(-60, "i-old", Kind.RESTORED, "fresh start"),
                at(0.4, "i-old", Kind.AT_RISK, "interruption warning; evacuate by …"),
                at(0.5, "i-new", Kind.LAUNCHED, "generation 2, spot …, replacing i-old"),
                at(14.0, "i-old", Kind.EVACUATED, "checkpoint gtid:0-1-120"),
                at(18.5, "i-new", Kind.RESTORED, "restored gtid:0-1-120"));
    }

    private List<String> figures(List<ControllerEvent> events) {
        Interruption i = new Interruption(1, "i-old", POOL, T0, true, events);
        return InterruptionFigures.of(WorkloadKind.SERVICE, k -> Optional.ofNullable(s3.get(k)),
                prefix -> s3.keySet().stream().filter(k -> k.startsWith(prefix)).sorted().toList()).figures(i);
    }

    @Test
    void aMove_saysTheSecondsFromTheHandOverToTheReplacementServing_andTheRowsOnBothSides() {
        s3.put("handover/g1.json", "{\"generation\":1,\"finalGtid\":\"0-1-120\",\"tables\":{\"items\":\"100 77\","
                + "\"users\":\"20 5\"},\"time\":\"2026-03-01T12:00:13Z\"}");
        s3.put("takeover/g2.json", "{\"generation\":2,\"previous\":1,\"gtid\":\"0-1-120\",\"tables\":{\"items\":"
                + "\"100 77\",\"users\":\"20 5\"},\"time\":\"2026-03-01T12:00:18Z\"}");

        assertThat(figures(moved())).containsExactly("4.5 s write-unavailable", "rows 120 before → 120 after");
    }

    @Test
    void rowsThatDiffer_areSaidSo_andAnOlderTakeOverIsNotTaken() {
        s3.put("handover/g1.json", "{\"tables\":{\"items\":\"100 77\"}}");
        s3.put("takeover/g1.json", "{\"previous\":0,\"tables\":{\"items\":\"1 1\"},\"time\":\"2026-03-01T11:00:00Z\"}");
        s3.put("takeover/g2.json", "{\"previous\":1,\"tables\":{\"items\":\"99 76\"},\"time\":\"2026-03-01T12:00:18Z\"}");

        assertThat(figures(moved())).containsExactly("4.5 s write-unavailable", "rows 100 before → 99 after (DIFFER)");
    }

    @Test
    void withoutAHandOverOrRecords_whatIsNotKnownIsSaid() {
        List<ControllerEvent> lost = List.of(
                at(0.3, "i-old", Kind.TERMINATED, "instance terminated without warning"),
                at(1.0, "i-new", Kind.LAUNCHED, "generation 2"),
                at(8.0, "i-new", Kind.RESTORED, "restored gtid:0-1-90"));

        assertThat(figures(lost)).containsExactly(
                "write-unavailable not known (no hand-over: the replacement serves what S3 holds)",
                "rows not known (no take-over record in S3)");
    }

    @Test
    void beforeTheReplacementServes_nothingIsAdded() {
        assertThat(figures(moved().subList(0, 4))).isEmpty();
    }
}
