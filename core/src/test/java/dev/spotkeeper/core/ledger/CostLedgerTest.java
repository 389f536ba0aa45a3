package dev.spotkeeper.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CostLedgerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void summary_addsKindsAndComparesWithAllOnDemand() {
        CostLedger ledger = new CostLedger("train");
        ledger.add(LedgerEntry.compute("train", "i-1", CostKind.SPOT, T0, T0.plusSeconds(2 * 3600), 1.0, 3.06));
        ledger.add(LedgerEntry.compute("train", "i-2", CostKind.ON_DEMAND, T0.plusSeconds(7200), T0.plusSeconds(7200 + 1800), 3.06, 3.06));
        ledger.add(LedgerEntry.flat("train", "", CostKind.TRANSFER, T0, 0.5, "50 GB us-east-1 → us-east-2"));
        ledger.add(LedgerEntry.flat("train", "", CostKind.STORAGE, T0, 0.25, "checkpoints"));

        CostLedger.Summary s = ledger.summary();

        assertThat(s.byKind().get(CostKind.SPOT)).isCloseTo(2.0, within(1e-9));
        assertThat(s.byKind().get(CostKind.ON_DEMAND)).isCloseTo(1.53, within(1e-9));
        assertThat(s.total()).isCloseTo(2.0 + 1.53 + 0.5 + 0.25, within(1e-9));
        // Storage is paid on-demand too; transfer between regions only because spot moved the work.
        assertThat(s.allOnDemand()).isCloseTo(2.5 * 3.06 + 0.25, within(1e-9));
        assertThat(s.computeHours()).isCloseTo(2.5, within(1e-9));
        assertThat(s.savings()).isCloseTo(2.5 * 3.06 + 0.25 - (2.0 + 1.53 + 0.5 + 0.25), within(1e-9));
    }

    @Test
    void storageEntry_billsItsHoursAtItsRate_andAMarkerCostsNothing() {
        LedgerEntry held = LedgerEntry.storage("train", T0, T0.plusSeconds(5400), 0.002, "1.00 GB");
        LedgerEntry marker = LedgerEntry.storage("train", T0, T0, 0.004, "holding 2.00 GB");

        assertThat(held.kind()).isEqualTo(CostKind.STORAGE);
        assertThat(held.amount()).isCloseTo(1.5 * 0.002, within(1e-12));
        assertThat(marker.amount()).isZero();
        assertThat(marker.ratePerHour()).isEqualTo(0.004);
        CostLedger ledger = new CostLedger("train");
        ledger.add(held);
        ledger.add(marker);
        assertThat(ledger.summary().computeHours()).isZero();
        assertThat(ledger.summary().allOnDemand()).isCloseTo(held.amount(), within(1e-12));
    }

    @Test
    void wouldExceed_comparesWithTheBudget() {
        CostLedger ledger = new CostLedger("train");
        ledger.add(LedgerEntry.compute("train", "i-1", CostKind.SPOT, T0, T0.plusSeconds(3600), 4.0, 10.0));

        assertThat(ledger.wouldExceed(5.0, 0.5)).isFalse();
        assertThat(ledger.wouldExceed(5.0, 1.5)).isTrue();
    }

    @Test
    void entriesOfAnotherWorkloadOrBackwardsTime_areRefused() {
        CostLedger ledger = new CostLedger("train");

        assertThatThrownBy(() -> ledger.add(LedgerEntry.flat("other", "", CostKind.STORAGE, T0, 1, "x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LedgerEntry.compute("train", "i", CostKind.SPOT, T0.plusSeconds(1), T0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ledger.entries()).isEmpty();
    }
}
