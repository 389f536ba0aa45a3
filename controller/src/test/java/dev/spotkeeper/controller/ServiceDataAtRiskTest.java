package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.store.OutboxEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DATA_AT_RISK of a service (ship every 2 s, a base every 6 h, in s3://ops/dbs): from what its agent leaves in S3, the
 * heartbeat written after each ship that succeeded, the base backups and the hand-over's record, written here as the
 * agent writes them.
 */
class ServiceDataAtRiskTest {
    private static final String DB = "dbs/appdb/db/";
    private final Harness h = new Harness();
    private String primary;

    @BeforeEach
    void running() {
        h.submit(ServiceReconcilerTest.service("appdb"));
        h.step();
        primary = h.head("appdb").instanceId();
        shipped(1, h.clock.instant());
        base(1, h.clock.instant());
        h.send(h.report(primary, "appdb", "started", Map.of()));
        h.step();
    }

    private void shipped(int generation, Instant at) {
        h.objects.bucket("ops").putBytes(DB + "primary/g" + generation, at.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void base(int generation, Instant at) {
        h.objects.bucket("ops").putBytes(DB + "base/00000000000000000042-g" + generation + "-" + at.toEpochMilli()
                + ".xbstream", new byte[] {1});
    }

    private List<OutboxEvent> atRisk() {
        return h.store.events(0, 10_000).stream().filter(e -> e.kind().equals("DATA_AT_RISK")).toList();
    }

    /** Passes 2 s apart, the heartbeat moved on at each as a healthy agent does. */
    private void healthyFor(Duration d) {
        for (long s = 0; s < d.toSeconds(); s += 2) {
            h.advance(Duration.ofSeconds(2));
            shipped(1, h.clock.instant());
            h.step();
        }
    }

    @Test
    void aPrimaryWhoseLogKeepsReachingS3_isNotAtRisk() {
        healthyFor(Duration.ofSeconds(60));

        assertThat(atRisk()).isEmpty();
    }

    @Test
    void aPrimaryWhoseLogStopsReachingS3_isToldOnceWithTheLastShipAndTheSecondsNotShipped_andAgainAfterItRecovers() {
        Instant lastShip = h.clock.instant();
        h.advance(Duration.ofSeconds(15));
        h.step();
        assertThat(atRisk()).as("within three periods and 10 s").isEmpty();

        h.advance(Duration.ofSeconds(10));
        h.step();
        h.advance(Duration.ofSeconds(30));
        h.step();

        assertThat(atRisk()).as("told once for one last ship").singleElement().satisfies(e -> {
            assertThat(e.instanceId()).isEqualTo(primary);
            assertThat(e.fields().reason()).isEqualTo("ship-behind");
            assertThat(e.fields().lastShipped()).contains(lastShip);
            assertThat(e.fields().unshipped()).contains(Duration.ofSeconds(25));
            assertThat(e.fields().pool()).isEqualTo(h.instance(primary).poolKey());
            assertThat(e.message()).startsWith("data at risk on " + primary + ": its binary log has not reached S3"
                    + " for 25.0 s (last at " + lastShip + "; shipping every PT2S, allowed PT16S)");
        });

        healthyFor(Duration.ofSeconds(20));
        assertThat(atRisk()).hasSize(1);
        h.advance(Duration.ofSeconds(30));
        h.step();
        assertThat(atRisk()).as("a new failure after the recovery").hasSize(2);
    }

    @Test
    void aPrimaryLostWithoutWarning_isToldWithItsLastShip() {
        healthyFor(Duration.ofSeconds(10));
        Instant lastShip = h.clock.instant();
        h.advance(Duration.ofSeconds(1));
        h.compute.setState(primary, "terminated");
        h.send(h.stateChange(primary, "terminated"));
        h.step();
        h.step();

        assertThat(atRisk()).singleElement().satisfies(e -> {
            assertThat(e.instanceId()).isEqualTo(primary);
            assertThat(e.fields().reason()).isEqualTo("lost");
            assertThat(e.fields().lastShipped()).contains(lastShip);
            assertThat(e.fields().unshipped()).contains(Duration.ofSeconds(1));
            assertThat(e.message()).isEqualTo("data at risk: " + primary + " was lost without a hand-over; its binary"
                    + " log last reached S3 at " + lastShip + ", 1.0 s before, so writes it acknowledged after that"
                    + " are lost; the next primary serves what S3 holds");
        });
    }

    @Test
    void aWarnedPrimaryThatHandsOver_isNotAtRisk() {
        healthyFor(Duration.ofSeconds(10));
        h.send(h.warning(primary));
        h.step();
        String next = h.instance(primary).replacedBy();
        h.advance(Duration.ofSeconds(5));
        h.send(h.report(primary, "appdb", "evacuated", Map.of("checkpoint", "gtid:0-1-42")));
        h.step();
        h.step();
        h.send(h.stateChange(primary, "terminated"));
        shipped(2, h.clock.instant());
        h.send(h.report(next, "appdb", "started", Map.of()));
        h.step();
        h.step();

        assertThat(atRisk()).isEmpty();
    }

    @Test
    void aPrimaryWarnedWhileItsLogIsBehind_isTold_andOneThatNeverHandsOverIsToldAgainWhenItIsGone() {
        h.advance(Duration.ofSeconds(40));
        h.send(h.warning(primary));
        h.step();
        h.step();

        assertThat(atRisk()).singleElement().satisfies(e -> {
            assertThat(e.fields().reason()).isEqualTo("warned-behind");
            assertThat(e.fields().unshipped()).contains(Duration.ofSeconds(40));
        });

        h.advance(Duration.ofMinutes(10));
        h.step();
        h.step();

        assertThat(atRisk()).hasSize(2).last().satisfies(e -> {
            assertThat(e.instanceId()).isEqualTo(primary);
            assertThat(e.fields().reason()).isEqualTo("no-hand-over");
            assertThat(e.message()).contains(primary + " did not report its hand-over in time");
        });
    }

    @Test
    void aPrimaryWhoseHandOverIsInS3ButWhoseReportWasLost_isNotAtRisk() {
        healthyFor(Duration.ofSeconds(4));
        h.send(h.warning(primary));
        h.step();
        h.objects.bucket("ops").putBytes(DB + "handover/g1.json", "{}".getBytes(StandardCharsets.UTF_8));
        h.advance(Duration.ofMinutes(10));
        h.step();
        h.step();

        assertThat(atRisk()).isEmpty();
    }

    @Test
    void aPrimaryWhoseBaseBackupsStop_isToldOnce() {
        healthyFor(Duration.ofSeconds(10));
        for (int hour = 0; hour < 10; hour++) {
            h.advance(Duration.ofHours(1));
            shipped(1, h.clock.instant());
            h.step();
        }

        assertThat(atRisk()).singleElement().satisfies(e -> {
            assertThat(e.fields().reason()).isEqualTo("base-behind");
            assertThat(e.message()).contains("its newest base backup is 540 min old");
        });
    }
}
