package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spotkeeper.core.ledger.CostKind;
import dev.spotkeeper.core.ledger.CostLedger;
import dev.spotkeeper.core.ledger.DataPrices;
import dev.spotkeeper.core.ledger.LedgerEntry;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A service's backup traffic between its instance and a checkpoint bucket in another region is billed as transfer
 * (docs/ledger.md): what the primary ships ({@code shipped}, and the last log in {@code evacuated}) and what a
 * replacement downloads to restore ({@code restored} at {@code gtid:…}), once per report.
 */
class ServiceTransferBillingTest {
    private static final long MIB = 1L << 20;
    /** Prices unlike AWS's, so the test proves the configured table is used. */
    private static final DataPrices PRICES = new DataPrices(Map.of("us-east-1", 0.1, "us-west-2", 0.2), 0.3,
            Map.of(DataPrices.pair("us-east-1", "us-west-2"), 0.05), 0.07);

    private final Harness h = new Harness("spotkeeper", c -> c.withRegion("us-east-1").withDataPrices(PRICES));

    /** The primary runs in us-east-1 (the harness's pools); its bucket is in {@code bucketRegion}. */
    private String serving(String bucketRegion) {
        WorkloadSpec spec = ServiceReconcilerTest.service(Harness.spec("appdb").checkpoints("s3://ops/dbs")
                .bucketRegion(bucketRegion).build());
        h.submit(spec);
        h.step();
        String primary = h.head("appdb").instanceId();
        h.send(h.report(primary, "appdb", "started", Map.of()));
        h.step();
        return primary;
    }

    private String shipped(String id, String position, long bytes, long inAll, int sequence) {
        return h.report(id, "appdb", "shipped", Map.of("position", position, "bytes", String.valueOf(bytes),
                "sentInAll", String.valueOf(inAll), "sequence", String.valueOf(sequence)));
    }

    private List<LedgerEntry> transfers() {
        return h.store.ledger("appdb").stream().filter(e -> e.kind() == CostKind.TRANSFER).toList();
    }

    @Test
    void shippedBytes_toABucketInAnotherRegion_areBilledOncePerReport_alsoAfterARestart() {
        String primary = serving("us-west-2");

        String first = shipped(primary, "0-1-40", 512 * MIB, 512 * MIB, 41);
        h.send(first);
        h.send(first);
        h.step();
        // The same report again with a new sequence (the agent's queue resent it), read by a new controller.
        h.controller = h.newController();
        h.send(shipped(primary, "0-1-40", 512 * MIB, 512 * MIB, 42));
        h.step();
        h.send(shipped(primary, "0-1-90", 256 * MIB, 768 * MIB, 43));
        h.step();

        assertThat(transfers()).hasSize(2);
        assertThat(transfers().get(0).amount()).isCloseTo(0.5 * 0.05, within(1e-9));
        assertThat(transfers().get(0).instanceId()).isEqualTo(primary);
        assertThat(transfers().get(0).note()).isEqualTo("0.50 GB us-east-1 → us-west-2 (database backup shipped up"
                + " to 0-1-40, " + 512 * MIB + " bytes from this agent in all)");
        assertThat(transfers().get(1).amount()).isCloseTo(0.25 * 0.05, within(1e-9));
    }

    @Test
    void aReplacementsRestore_andTheOldPrimarysLastShip_areBilledInTheirDirections() {
        String primary = serving("us-west-2");
        h.send(h.warning(primary));
        h.step();
        String next = h.instance(primary).replacedBy();

        h.send(h.report(next, "appdb", "restored", Map.of("checkpoint", "gtid:0-1-40", "bytes",
                String.valueOf(2048 * MIB), "seconds", "31.5")));
        h.send(h.report(primary, "appdb", "evacuated", Map.of("checkpoint", "gtid:0-1-42", "bytes",
                String.valueOf(64 * MIB))));
        h.step();
        h.step();

        assertThat(transfers()).extracting(LedgerEntry::note).containsExactlyInAnyOrder(
                "2.00 GB us-west-2 → us-east-1 (restore gtid:0-1-40)",
                "0.06 GB us-east-1 → us-west-2 (upload gtid:0-1-42)");
        assertThat(transfers()).filteredOn(e -> e.note().contains("restore")).singleElement()
                .satisfies(e -> assertThat(e.instanceId()).isEqualTo(next));
        // What `cost` adds up: the transfer line is the two entries' dollars.
        CostLedger ledger = new CostLedger("appdb");
        h.store.ledger("appdb").forEach(ledger::add);
        assertThat(ledger.summary().byKind().get(CostKind.TRANSFER)).isCloseTo((2 + 1 / 16.0) * 0.05, within(1e-9));
    }

    @Test
    void backupTrafficWithinTheBucketsRegion_billsNoTransfer() {
        String primary = serving("");

        h.send(shipped(primary, "0-1-40", 512 * MIB, 512 * MIB, 41));
        h.send(h.report(primary, "appdb", "restored", Map.of("checkpoint", "gtid:0-1-40", "bytes",
                String.valueOf(2048 * MIB))));
        h.step();

        assertThat(transfers()).isEmpty();
    }
}
