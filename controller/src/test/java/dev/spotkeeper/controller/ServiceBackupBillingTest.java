package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spotkeeper.core.ledger.CostKind;
import dev.spotkeeper.core.ledger.DataPrices;
import dev.spotkeeper.core.ledger.LedgerEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A service's backup in S3 (bases, binary-log segments, the catalog, below {@code s3://ops/dbs/appdb/db/}) is billed
 * as its storage: the bytes the controller lists there, by the hour, at the bucket's region's price.
 */
class ServiceBackupBillingTest {
    private static final String DB = "dbs/appdb/db/";
    private static final int MIB = 1 << 20;
    /** A price unlike AWS's, so the test proves the configured table is used. */
    private static final DataPrices PRICES = new DataPrices(Map.of("us-east-1", 0.1), 0.3, Map.of(), 0.07);

    private final Harness h = new Harness("spotkeeper", c -> c.withRegion("us-east-1").withDataPrices(PRICES));
    private String primary;

    @BeforeEach
    void serving() {
        h.submit(ServiceReconcilerTest.service("appdb"));
        h.step();
        primary = h.head("appdb").instanceId();
        put("base/00000000000000000042-g1-" + h.clock.millis() + ".xbstream", 40 * MIB);
        put("binlog/00000000000000000042-g1-binlog.000002", 8 * MIB);
        put("catalog.json", 1000);
        heartbeat();
        h.send(h.report(primary, "appdb", "started", Map.of()));
        h.step();
    }

    private void put(String key, int size) {
        h.objects.bucket("ops").putBytes(DB + key, new byte[size]);
    }

    private void heartbeat() {
        h.objects.bucket("ops").putBytes(DB + "primary/g1", h.clock.instant().toString()
                .getBytes(StandardCharsets.UTF_8));
    }

    private List<LedgerEntry> storage() {
        return h.store.ledger("appdb").stream().filter(e -> e.kind() == CostKind.STORAGE).toList();
    }

    private void servingFor(Duration d) {
        for (Duration t = Duration.ZERO; t.compareTo(d) < 0; t = t.plusMinutes(5)) {
            h.advance(Duration.ofMinutes(5));
            heartbeat();
            h.step();
        }
    }

    @Test
    void theBackupsBytes_areBilledByTheHour_atTheBucketRegionsPrice() {
        servingFor(Duration.ofMinutes(130));

        long bytes = 48L * MIB + 1000 + h.objects.bucket("ops").getBytes(DB + "primary/g1").orElseThrow().length;
        double rate = PRICES.storagePerHour(bytes, "us-east-1");
        List<LedgerEntry> held = storage();
        assertThat(held).isNotEmpty();
        assertThat(held.get(0).note()).contains("database backup, 4 objects").contains("us-east-1");
        assertThat(held.get(0).ratePerHour()).isCloseTo(rate, within(rate * 0.02));
        double hours = held.stream().mapToDouble(e -> Duration.between(e.start(), e.end()).toMillis() / 3.6e6).sum();
        assertThat(hours).as("two full hours billed so far").isCloseTo(2.0, within(1e-9));
        assertThat(held.stream().mapToDouble(LedgerEntry::amount).sum()).isCloseTo(held.get(0).ratePerHour() * 2,
                within(1e-12));
    }

    @Test
    void aBackupThatGrows_isBilledAtTheNewRateFromWhenItWasListed() {
        servingFor(Duration.ofMinutes(10));
        double before = storage().get(storage().size() - 1).ratePerHour();

        put("base/00000000000000000900-g1-" + h.clock.millis() + ".xbstream", 96 * MIB);
        servingFor(Duration.ofMinutes(10));

        double after = storage().get(storage().size() - 1).ratePerHour();
        assertThat(after).isCloseTo(before * 3, within(before * 0.05));
        assertThat(h.workload("appdb").status().isTerminal()).isFalse();
    }
}
