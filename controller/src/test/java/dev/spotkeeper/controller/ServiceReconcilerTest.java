package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.core.workload.DatabaseSpec;
import dev.spotkeeper.core.workload.ServiceExtension;
import dev.spotkeeper.core.workload.WorkloadKind;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.core.workload.WorkloadSpecJson;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service reconciler: one primary, the replacement at once on a warning, the hand-over, a loss without warning. */
class ServiceReconcilerTest {
    private final Harness h = new Harness();
    private String primary;

    static WorkloadSpec service(String name) {
        return service(Harness.spec(name).checkpoints("s3://ops/dbs").build());
    }

    static WorkloadSpec service(WorkloadSpec job) {
        String name = job.name();
        return new WorkloadSpec(name, job.requirements(), job.strategy(), job.limits(), job.image(), job.buckets(),
                job.relocation(), new ServiceExtension(new DatabaseSpec(DatabaseSpec.Engine.MARIADB, "10.11",
                        "appdb", "", new DatabaseSpec.Backup(Duration.ofHours(6), Duration.ofSeconds(2)))));
    }

    @BeforeEach
    void running() {
        h.submit(service("appdb"));
        h.step();
        primary = h.head("appdb").instanceId();
        h.send(h.report(primary, "appdb", "started", Map.of()));
        h.step();
    }

    @Test
    void submit_aService_isStoredAsOneAndItsPrimaryLaunched() {
        assertThat(WorkloadSpecJson.read("stored", h.workload("appdb").specText()).kind())
                .isEqualTo(WorkloadKind.SERVICE);
        assertThat(h.workload("appdb").status()).isEqualTo(WorkloadStatus.RUNNING);
        assertThat(h.instance(primary).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.compute.alive()).hasSize(1);

        h.step();
        h.advance(Duration.ofHours(1));
        h.step();

        assertThat(h.compute.all()).hasSize(1);
        assertThat(h.workload("appdb").status()).isEqualTo(WorkloadStatus.RUNNING);
    }

    @Test
    void warning_launchesTheReplacementAtOnce_asksTheOldPrimaryToHandOver_andTerminatesItOnceItHas() {
        h.send(h.warning(primary));
        h.step();

        InstanceRecord old = h.instance(primary);
        String next = old.replacedBy();
        assertThat(old.state()).isEqualTo(InstanceState.EVACUATING);
        assertThat(h.instance(next).replaces()).isEqualTo(primary);
        assertThat(h.compute.instance(primary).tags()).containsKey("spotkeeper:evacuate");
        assertThat(h.compute.instance(primary).state()).isNotEqualTo("terminated");

        h.advance(Duration.ofSeconds(7));
        h.send(h.report(primary, "appdb", "evacuated", Map.of("checkpoint", "gtid:0-1-42")));
        h.step();
        h.step();

        assertThat(h.store.events(0, 1000)).filteredOn(e -> e.kind().equals("PRIMARY_MOVED")).singleElement()
                .satisfies(e -> {
                    assertThat(e.message()).startsWith("primary moved from " + primary + " to " + next
                            + ": writes refused from the hand-over asked at " + Harness.T0 + " (7.0 s until "
                            + primary + " handed over at gtid:0-1-42), until " + next);
                    assertThat(e.fields().duration()).contains(Duration.ofSeconds(7));
                    assertThat(e.fields().checkpoint()).isEqualTo("gtid:0-1-42");
                });
        assertThat(h.instance(primary).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.workload("appdb").lastCheckpoint()).isEqualTo("gtid:0-1-42");
        assertThat(h.events).anyMatch(e -> e.message().contains("handed over; " + next + " takes over as primary"));

        h.send(h.report(next, "appdb", "started", Map.of()));
        h.send(h.stateChange(primary, "terminated"));
        h.step();

        assertThat(h.instance(next).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.compute.alive()).extracting(c -> c.instanceId()).containsExactly(next);
        assertThat(h.workload("appdb").status()).isEqualTo(WorkloadStatus.RUNNING);
    }

    @Test
    void rebalanceRecommendation_startsTheSameMoveAsAWarning_theReplacementAtOnce_thenTheHandOver() {
        h.send(h.rebalance(primary));
        h.step();

        InstanceRecord old = h.instance(primary);
        String next = old.replacedBy();
        assertThat(next).as("the replacement launched at once").isNotEmpty();
        assertThat(h.instance(next).replaces()).isEqualTo(primary);
        assertThat(old.state()).isEqualTo(InstanceState.EVACUATING);
        assertThat(h.compute.instance(primary).tags()).containsKey("spotkeeper:evacuate");
        assertThat(h.compute.instance(primary).state()).isNotEqualTo("terminated");

        h.send(h.report(primary, "appdb", "evacuated", Map.of("checkpoint", "gtid:0-1-42")));
        h.step();
        h.send(h.report(next, "appdb", "started", Map.of()));
        h.send(h.stateChange(primary, "terminated"));
        h.step();

        assertThat(h.instance(primary).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.instance(next).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.compute.alive()).extracting(c -> c.instanceId()).containsExactly(next);
        assertThat(h.count(ControllerEvent.Kind.PRIMARY_MOVED)).isEqualTo(1);
    }

    @Test
    void anOldPrimaryThatNeverHandsOver_isTerminatedAfterTheDeadline_andItsReplacementKept() {
        h.send(h.warning(primary));
        h.step();
        String next = h.instance(primary).replacedBy();

        h.advance(Duration.ofMinutes(10));
        h.step();

        assertThat(h.instance(primary).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.compute.alive()).extracting(c -> c.instanceId()).containsExactly(next);
        assertThat(h.events).anyMatch(e -> e.message().contains("no hand-over report by"));
    }

    @Test
    void aPlannedRelocation_launchesTheReplacementFirst_handsOverOnce_andDoesNotLoop() {
        h.submit(service(Harness.spec("movedb").checkpoints("s3://ops/dbs")
                .relocation(Duration.ofMinutes(30), 0.2).build()));
        h.step();
        String first = h.head("movedb").instanceId();
        h.send(h.report(first, "movedb", "started", Map.of()));
        h.step();
        h.price(Harness.C, 0.010);
        h.advance(Duration.ofMinutes(31));
        h.step();

        InstanceRecord old = h.instance(first);
        assertThat(old.state()).isEqualTo(InstanceState.EVACUATING);
        assertThat(old.replacedBy()).as("the replacement restores while the old primary serves").isNotEmpty();
        assertThat(h.instance(old.replacedBy()).poolKey()).isEqualTo(Harness.C);
        assertThat(h.compute.instance(first).tags()).containsKey("spotkeeper:evacuate");

        for (int i = 0; i < 40; i++) {
            for (InstanceRecord r : h.instances("movedb")) {
                if (r.state() == InstanceState.EVACUATING) {
                    h.send(h.report(r.instanceId(), "movedb", "evacuated", Map.of("checkpoint", "gtid:0-1-" + i)));
                }
                if (r.state() == InstanceState.PENDING) {
                    h.send(h.report(r.instanceId(), "movedb", "started", Map.of()));
                }
                if (r.state() == InstanceState.TERMINATED) {
                    // What the cloud says of the instance the move ended: no interruption, no loss.
                    h.send(h.stateChange(r.instanceId(), "terminated"));
                }
            }
            h.step();
            h.advance(Duration.ofMinutes(10));
        }

        assertThat(h.count(ControllerEvent.Kind.RELOCATING)).isEqualTo(1);
        assertThat(h.compute.all()).filteredOn(c -> "movedb".equals(c.tags().get("spotkeeper:workload")))
                .as("one move: the first primary and its replacement").hasSize(2);
        assertThat(h.compute.alive()).filteredOn(c -> "movedb".equals(c.tags().get("spotkeeper:workload")))
                .extracting(c -> c.instanceId()).containsExactly(old.replacedBy());
        assertThat(h.head("movedb").poolKey()).isEqualTo(Harness.C);
        assertThat(h.events).anyMatch(e -> e.message().contains("handed over; " + old.replacedBy()));
    }

    @Test
    void aPrimaryLostWithoutWarning_isReplacedByOneThatRestoresFromS3() {
        h.compute.setState(primary, "terminated");
        h.send(h.stateChange(primary, "terminated"));
        h.step();

        assertThat(h.instance(primary).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.compute.alive()).hasSize(1).allSatisfy(c -> assertThat(c.instanceId()).isNotEqualTo(primary));
        assertThat(h.workload("appdb").status()).isEqualTo(WorkloadStatus.RUNNING);
    }

    /**
     * Primaries that handed over are moves, not crashes: three quick moves in a row (each old primary ended well
     * within 120 s of its launch, as B5 moves) and then a loss without warning still launch one that restores.
     */
    @Test
    void quickMovesInARow_thenALoss_launchAPrimaryThatRestores_notACrashLoop() {
        String current = primary;
        for (int i = 1; i <= 3; i++) {
            h.send(h.warning(current));
            h.step();
            String next = h.instance(current).replacedBy();
            h.advance(Duration.ofSeconds(10));
            h.send(h.report(current, "appdb", "evacuated", Map.of("checkpoint", "gtid:0-" + i + "-" + 40 * i)));
            h.step();
            h.step();
            h.send(h.report(next, "appdb", "started", Map.of()));
            h.compute.setState(current, "terminated");
            h.send(h.stateChange(current, "terminated"));
            h.step();
            assertThat(h.instance(current).state()).isEqualTo(InstanceState.TERMINATED);
            assertThat(h.instance(next).state()).isEqualTo(InstanceState.RUNNING);
            current = next;
        }
        h.advance(Duration.ofSeconds(20));

        h.compute.setState(current, "terminated");
        h.send(h.stateChange(current, "terminated"));
        h.step();

        String lost = current;
        assertThat(h.workload("appdb").status()).isEqualTo(WorkloadStatus.RUNNING);
        assertThat(h.compute.alive()).hasSize(1).allSatisfy(c -> assertThat(c.instanceId()).isNotEqualTo(lost));
    }

    @Test
    void anAbandonedRelocation_endsTheReplacement_keepsTheOldPrimaryServing_tellsItOnce_andDoesNotMoveAgain() {
        h.submit(service(Harness.spec("gapdb").checkpoints("s3://ops/dbs")
                .relocation(Duration.ofMinutes(30), 0.2).build()));
        h.step();
        String first = h.head("gapdb").instanceId();
        h.send(h.report(first, "gapdb", "started", Map.of()));
        h.step();
        h.price(Harness.C, 0.010);
        h.advance(Duration.ofMinutes(31));
        h.step();
        String replacement = h.instance(first).replacedBy();
        assertThat(replacement).isNotEmpty();
        String why = "restored up to 0-1-20, missing after 0-1-20 up to 0-1-40, and the primary of generation 1"
                + " cannot be followed to fill it";

        // The replacement gives up, then the old primary says the same (reports may come in any order, twice).
        h.send(h.report(replacement, "gapdb", "abandoned", Map.of("reason", why)));
        h.send(h.report(first, "gapdb", "abandoned", Map.of("reason", why)));
        h.step();

        assertThat(h.instance(replacement).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.instance(first).replacedBy()).isEmpty();
        assertThat(h.workload("gapdb").status()).isEqualTo(WorkloadStatus.RUNNING);
        assertThat(h.events).filteredOn(e -> e.kind() == ControllerEvent.Kind.DATA_AT_RISK
                && e.fields().reason().equals("move-abandoned")).singleElement().satisfies(e -> {
                    assertThat(e.instanceId()).isEqualTo(first);
                    assertThat(e.message()).contains("abandoned", why, first + " keeps serving");
                });
        assertThat(h.events).anyMatch(e -> e.kind() == ControllerEvent.Kind.TERMINATED
                && e.instanceId().equals(replacement) && e.message().contains(why));

        for (int i = 0; i < 20; i++) {
            h.send(h.stateChange(replacement, "terminated"));
            h.advance(Duration.ofMinutes(10));
            h.step();
        }

        assertThat(h.count(ControllerEvent.Kind.RELOCATING)).as("no second attempt from the same primary").isEqualTo(1);
        assertThat(h.compute.alive()).filteredOn(c -> "gapdb".equals(c.tags().get("spotkeeper:workload")))
                .extracting(c -> c.instanceId()).containsExactly(first);
        assertThat(h.instance(first).state()).as("not terminated after the deadline and the grace")
                .isEqualTo(InstanceState.RUNNING);
        assertThat(h.workload("gapdb").status()).isEqualTo(WorkloadStatus.RUNNING);
    }

    @Test
    void aMoveAbandonedOnAWarning_keepsTheOldPrimary_andTheNextLossRestoresFromS3() {
        h.send(h.warning(primary));
        h.step();
        String replacement = h.instance(primary).replacedBy();

        h.send(h.report(primary, "appdb", "abandoned", Map.of("reason", "missing after 0-1-5 up to 0-1-9")));
        h.step();

        assertThat(h.instance(replacement).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.instance(primary).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.compute.alive()).extracting(c -> c.instanceId()).containsExactly(primary);

        h.compute.setState(primary, "terminated");
        h.send(h.stateChange(primary, "terminated"));
        h.step();

        assertThat(h.instance(primary).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(h.compute.alive()).hasSize(1).allSatisfy(c -> assertThat(c.instanceId())
                .isNotIn(primary, replacement));
        assertThat(h.workload("appdb").status()).isEqualTo(WorkloadStatus.RUNNING);
    }
}
