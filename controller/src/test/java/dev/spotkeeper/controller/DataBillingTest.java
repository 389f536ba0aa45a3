package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spotkeeper.core.ledger.CostKind;
import dev.spotkeeper.core.ledger.DataPrices;
import dev.spotkeeper.core.ledger.LedgerEntry;
import dev.spotkeeper.core.store.WorkloadStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataBillingTest {
    private static final long GIB = 1L << 30;
    private static final String WEST = "us-west-2/us-west-2a/m5.large";
    /** Prices unlike AWS's, so the tests prove the configured table is used. */
    private static final DataPrices PRICES = new DataPrices(Map.of("us-east-1", 0.1, "us-west-2", 0.2), 0.3,
            Map.of(DataPrices.pair("us-east-1", "us-west-2"), 0.05), 0.07);

    private final Harness h = new Harness("spotkeeper", c -> c.withRegion("us-east-1").withDataPrices(PRICES));

    @Test
    void restoreFromABucketInAnotherRegion_isBilledAsTransferAtThePairsPrice() {
        String id = startIn(WEST, Harness.spec("train").build());

        h.send(h.report(id, "train", "restored", Map.of("checkpoint", "ckpt-0000000007-i-1", "bytes",
                String.valueOf(3 * GIB), "seconds", "12.5")));
        h.step();

        List<LedgerEntry> transfers = ledger("train", CostKind.TRANSFER);
        assertThat(transfers).hasSize(1);
        assertThat(transfers.get(0).amount()).isCloseTo(3 * 0.05, within(1e-9));
        assertThat(transfers.get(0).instanceId()).isEqualTo(id);
        assertThat(transfers.get(0).note()).isEqualTo("3.00 GB us-east-1 → us-west-2 (restore ckpt-0000000007-i-1)");
    }

    @Test
    void uploadToTheSpecsBucketRegion_fromAnInstanceElsewhere_isBilledInThatDirection() {
        String id = startIn(Harness.A, Harness.spec("train").bucketRegion("us-west-2").build());

        h.send(h.report(id, "train", "checkpointed", Map.of("checkpoint", "ckpt-0000000001-" + id,
                "bytes", String.valueOf(GIB / 2), "storedBytes", String.valueOf(GIB))));
        h.step();

        List<LedgerEntry> transfers = ledger("train", CostKind.TRANSFER);
        assertThat(transfers).singleElement().satisfies(e -> {
            assertThat(e.amount()).isCloseTo(0.5 * 0.05, within(1e-9));
            assertThat(e.note()).startsWith("0.50 GB us-east-1 → us-west-2 (upload ckpt-0000000001-");
        });
    }

    @Test
    void restoreAndUploadWithinTheBucketsRegion_billNoTransfer() {
        String id = startIn(Harness.A, Harness.spec("train").build());

        h.send(h.report(id, "train", "restored", Map.of("checkpoint", "ckpt-0000000003-i-0", "bytes",
                String.valueOf(5 * GIB))));
        h.send(h.report(id, "train", "checkpointed", Map.of("checkpoint", "ckpt-0000000004-" + id,
                "bytes", String.valueOf(5 * GIB), "storedBytes", String.valueOf(5 * GIB))));
        h.step();

        assertThat(ledger("train", CostKind.TRANSFER)).isEmpty();
        assertThat(ledger("train", CostKind.STORAGE)).isNotEmpty();
    }

    @Test
    void aReportDeliveredTwice_orRepeatedWithANewSequence_isBilledOnce() {
        String id = startIn(WEST, Harness.spec("train").build());
        String report = h.report(id, "train", "restored", Map.of("checkpoint", "ckpt-0000000007-i-1",
                "bytes", String.valueOf(2 * GIB), "sequence", "41"));

        h.send(report);
        h.send(report);
        h.step();
        h.send(h.report(id, "train", "restored", Map.of("checkpoint", "ckpt-0000000007-i-1",
                "bytes", String.valueOf(2 * GIB), "sequence", "42")));
        RunSummary last = h.step();

        assertThat(last.handled()).isEqualTo(1);
        assertThat(ledger("train", CostKind.TRANSFER)).singleElement()
                .satisfies(e -> assertThat(e.amount()).isCloseTo(2 * 0.05, within(1e-9)));
    }

    @Test
    void storage_accumulatesHourByHour_survivesARestart_andEndsWithTheWorkload() {
        String id = startIn(Harness.A, Harness.spec("train").build());
        double rate = 2 * 0.1 / DataPrices.HOURS_PER_MONTH;
        h.send(h.report(id, "train", "checkpointed", Map.of("checkpoint", "ckpt-0000000001-" + id,
                "bytes", String.valueOf(2 * GIB), "storedBytes", String.valueOf(2 * GIB))));
        h.step();

        h.advance(Duration.ofMinutes(150));
        h.step();
        assertThat(billed("train")).isCloseTo(2 * rate, within(1e-12));
        assertThat(h.controller.spent("train") - computeSpent()).isCloseTo(2.5 * rate, within(1e-9));

        h.controller = h.newController();
        h.step();
        h.step();
        assertThat(ledger("train", CostKind.STORAGE).stream().filter(e -> e.hours() > 0)).hasSize(2);

        h.advance(Duration.ofMinutes(40));
        h.send(h.report(id, "train", "exited", Map.of("exitCode", "0")));
        h.step();
        h.advance(Duration.ofHours(5));
        h.step();

        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.SUCCEEDED);
        assertThat(billed("train")).isCloseTo((150 + 40) / 60.0 * rate, within(1e-12));
        assertThat(ledger("train", CostKind.STORAGE).stream().filter(e -> e.hours() > 0)).hasSize(4);
    }

    @Test
    void aLargerCheckpoint_closesThePeriodAtTheOldRate_andASameSizedOneWritesNothing() {
        String id = startIn(Harness.A, Harness.spec("train").build());
        double small = 1 * 0.1 / DataPrices.HOURS_PER_MONTH;
        double large = 4 * 0.1 / DataPrices.HOURS_PER_MONTH;
        h.send(checkpointed(id, 1, GIB));
        h.step();
        h.advance(Duration.ofMinutes(30));
        h.send(checkpointed(id, 2, GIB));
        h.step();
        int entries = ledger("train", CostKind.STORAGE).size();

        h.send(checkpointed(id, 3, 4 * GIB));
        h.step();
        h.send(checkpointed(id, 1, 8 * GIB));
        h.step();
        h.advance(Duration.ofHours(1));
        h.step();

        assertThat(ledger("train", CostKind.STORAGE)).hasSize(entries + 3);
        assertThat(billed("train")).isCloseTo(0.5 * small + 1 * large, within(1e-12));
        assertThat(h.controller.spent("train") - computeSpent()).isCloseTo(billed("train"), within(1e-9));
    }

    @Test
    void aReportWithoutStoredBytesOrWithAWrongCount_billsNothingAndSaysWhy() {
        String id = startIn(WEST, Harness.spec("train").build());

        h.send(h.report(id, "train", "checkpointed", Map.of("checkpoint", "ckpt-0000000001-" + id, "bytes", "lots")));
        h.step();
        h.advance(Duration.ofHours(3));
        h.step();

        assertThat(ledger("train", CostKind.TRANSFER)).isEmpty();
        assertThat(ledger("train", CostKind.STORAGE)).isEmpty();
        assertThat(h.events).anyMatch(e -> e.kind() == ControllerEvent.Kind.IGNORED_EVENT
                && e.message().contains("bytes 'lots' is not a byte count"));
    }

    /** Launches the workload into {@code pool} (made the cheapest) and has its agent report; returns the instance. */
    private String startIn(String pool, dev.spotkeeper.core.workload.WorkloadSpec spec) {
        h.price(pool, 0.001);
        h.submit(spec);
        h.step();
        String id = h.head(spec.name()).instanceId();
        assertThat(h.instance(id).poolKey()).isEqualTo(pool);
        h.send(h.report(id, spec.name(), "started", Map.of()));
        h.step();
        return id;
    }

    private String checkpointed(String id, int sequence, long storedBytes) {
        return h.report(id, "train", "checkpointed", Map.of("checkpoint",
                String.format("ckpt-%010d-%s", sequence, id), "bytes", "0", "storedBytes", String.valueOf(storedBytes)));
    }

    private List<LedgerEntry> ledger(String workload, CostKind kind) {
        return h.store.ledger(workload).stream().filter(e -> e.kind() == kind).toList();
    }

    private double billed(String workload) {
        return ledger(workload, CostKind.STORAGE).stream().mapToDouble(LedgerEntry::amount).sum();
    }

    /** What compute cost so far, billed or not: spent() less this is the storage and transfer. */
    private double computeSpent() {
        double total = 0;
        for (var r : h.instances("train")) {
            if (r.state().isTerminal()) {
                total += h.store.ledger("train").stream().filter(e -> e.kind().isCompute()
                        && e.instanceId().equals(r.instanceId())).mapToDouble(LedgerEntry::amount).sum();
            } else {
                total += Duration.between(r.launchedAt(), h.clock.instant()).toMillis() / 3_600_000.0 * r.pricePerHour();
            }
        }
        return total;
    }
}
