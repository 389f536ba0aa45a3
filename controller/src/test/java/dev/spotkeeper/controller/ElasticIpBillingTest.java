package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spotkeeper.core.ledger.CostKind;
import dev.spotkeeper.core.ledger.DataPrices;
import dev.spotkeeper.core.ledger.LedgerEntry;
import dev.spotkeeper.testkit.cloud.InMemoryAddresses;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A service's Elastic IP in the ledger: billed by the hour from allocation to release, as a kind of its own. */
class ElasticIpBillingTest {
    private final Harness h = new Harness();
    private final InMemoryAddresses addresses = new InMemoryAddresses();
    private String primary;

    @BeforeEach
    void serving() {
        h.controller.useAddresses(addresses);
        h.submit(ServiceReconcilerTest.service("appdb"));
        h.step();
        primary = h.head("appdb").instanceId();
        h.send(h.report(primary, "appdb", "started", Map.of()));
        h.step();
        assertThat(addresses.find("us-east-1", "appdb")).isPresent();
    }

    private List<LedgerEntry> addressEntries() {
        return h.store.ledger("appdb").stream().filter(e -> e.kind() == CostKind.ELASTIC_IP).toList();
    }

    private double billed() {
        return addressEntries().stream().mapToDouble(LedgerEntry::amount).sum();
    }

    private double unbilled() {
        return h.controller.unbilled("appdb").stream().filter(e -> e.kind() == CostKind.ELASTIC_IP)
                .mapToDouble(LedgerEntry::amount).sum();
    }

    @Test
    void theAddress_isBilledEveryFullHourItIsHeld_andTheRunningHourIsCountedAsUnbilled() {
        assertThat(addressEntries()).singleElement().satisfies(e -> {
            assertThat(e.amount()).isZero();
            assertThat(e.ratePerHour()).isEqualTo(DataPrices.PUBLIC_IPV4_PER_HOUR);
            assertThat(e.note()).contains("198.51.100.").contains("$0.0050/h");
        });

        for (int i = 0; i < 5; i++) {
            h.advance(Duration.ofMinutes(30));
            h.step();
        }

        assertThat(addressEntries().stream().filter(e -> e.hours() > 0)).hasSize(2)
                .allSatisfy(e -> assertThat(e.hours()).isEqualTo(1.0));
        assertThat(billed()).isCloseTo(2 * 0.005, within(1e-12));
        assertThat(unbilled()).isCloseTo(0.5 * 0.005, within(1e-12));
    }

    @Test
    void aRestartedController_goesOnWhereTheLastOneStopped_andTheReleaseEndsTheBilling() {
        h.advance(Duration.ofMinutes(90));
        h.step();
        h.controller = h.newController();
        h.controller.useAddresses(addresses);
        h.step();
        h.step();
        assertThat(billed()).as("one hour billed once").isCloseTo(0.005, within(1e-12));

        h.advance(Duration.ofMinutes(45));
        h.controller.cancel("appdb");
        h.step();
        h.step();
        assertThat(addresses.find("us-east-1", "appdb")).isEmpty();
        h.advance(Duration.ofHours(3));
        h.step();

        assertThat(billed()).as("allocation to release: 2 h 15 min").isCloseTo(2.25 * 0.005, within(1e-12));
        assertThat(unbilled()).isZero();
        assertThat(addressEntries().get(addressEntries().size() - 1).ratePerHour()).as("closed").isZero();
    }

    @Test
    void anAddressStillAllocatedAfterTheEnd_keepsBeingBilledUntilItIsReleased() {
        addresses.broken(true);
        h.controller.cancel("appdb");
        h.step();
        h.advance(Duration.ofMinutes(70));
        h.step();
        assertThat(billed()).isCloseTo(0.005, within(1e-12));

        addresses.broken(false);
        h.step();

        assertThat(addresses.find("us-east-1", "appdb")).isEmpty();
        assertThat(billed()).isCloseTo(70 / 60.0 * 0.005, within(1e-12));
        h.advance(Duration.ofHours(2));
        h.step();
        assertThat(billed()).isCloseTo(70 / 60.0 * 0.005, within(1e-12));
    }
}
