package dev.spotkeeper.controller.internal;

import dev.spotkeeper.core.cloud.AddressPort;
import dev.spotkeeper.core.ledger.CostKind;
import dev.spotkeeper.core.ledger.DataPrices;
import dev.spotkeeper.core.ledger.LedgerEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The ledger's Elastic IP dollars (docs/ledger.md): a service's address is billed by the hour from the pass that
 * allocated (or first found) it to the one that released it, at {@link DataPrices#PUBLIC_IPV4_PER_HOUR}.
 *
 * <p>Allocation writes a zero-length entry carrying the rate; while the address is held, one entry per full hour;
 * the release a last entry up to then and a zero-length entry of rate 0 that closes the period. Whether an address
 * is held and since when is read back from the ledger (its last {@code ELASTIC_IP} entry), so a restarted controller
 * goes on where the previous one stopped, never bills an hour twice, and a release it finds already done closes the
 * period at once.
 */
final class AddressBilling implements StableEndpoints.Listener {
    private static final Duration HOUR = Duration.ofHours(1);

    private final Context ctx;

    AddressBilling(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public void held(String workload, AddressPort.StableAddress address) {
        if (last(ctx.store.ledger(workload)).filter(AddressBilling::holding).isPresent()) {
            return;
        }
        Instant now = ctx.clock.instant();
        ctx.store.appendLedger(LedgerEntry.elasticIp(workload, now, now, DataPrices.PUBLIC_IPV4_PER_HOUR,
                String.format(Locale.ROOT, "holding Elastic IP %s (%s) in %s at $%.4f/h", address.publicIp(),
                        address.allocationId(), address.region(), DataPrices.PUBLIC_IPV4_PER_HOUR)));
    }

    @Override
    public void released(String workload) {
        List<LedgerEntry> ledger = ctx.store.ledger(workload);
        Optional<LedgerEntry> last = last(ledger).filter(AddressBilling::holding);
        if (last.isEmpty()) {
            return;
        }
        Instant now = ctx.clock.instant();
        Instant from = billedUntil(ledger);
        if (now.isAfter(from)) {
            ctx.store.appendLedger(period(workload, from, now, last.get().ratePerHour()));
        }
        Instant end = now.isAfter(from) ? now : from;
        ctx.store.appendLedger(LedgerEntry.elasticIp(workload, end, end, 0, "released the Elastic IP"));
    }

    /** Appends the full hours now due while the workload holds its address. */
    void bill(String workload, List<LedgerEntry> ledger, Instant now) {
        Optional<LedgerEntry> last = last(ledger).filter(AddressBilling::holding);
        if (last.isEmpty()) {
            return;
        }
        Instant from = billedUntil(ledger);
        while (!Duration.between(from, now).minus(HOUR).isNegative()) {
            Instant next = from.plus(HOUR);
            ctx.store.appendLedger(period(workload, from, next, last.get().ratePerHour()));
            from = next;
        }
    }

    /** The address's time since its last entry, as the entry that will bill it. */
    Optional<LedgerEntry> unbilled(String workload, List<LedgerEntry> ledger, Instant now) {
        Optional<LedgerEntry> last = last(ledger).filter(AddressBilling::holding);
        if (last.isEmpty()) {
            return Optional.empty();
        }
        Instant from = billedUntil(ledger);
        return now.isAfter(from) ? Optional.of(period(workload, from, now, last.get().ratePerHour()))
                : Optional.empty();
    }

    /** True when the workload holds no address the ledger is still billing. */
    boolean complete(List<LedgerEntry> ledger) {
        return last(ledger).filter(AddressBilling::holding).isEmpty();
    }

    private static LedgerEntry period(String workload, Instant from, Instant to, double rate) {
        return LedgerEntry.elasticIp(workload, from, to, rate, String.format(Locale.ROOT,
                "Elastic IP %.4f h at $%.4f/h", Duration.between(from, to).toMillis() / 3_600_000.0, rate));
    }

    /** Held: the last entry is an allocation or an hour billed, not the release (rate 0). */
    private static boolean holding(LedgerEntry e) {
        return e.ratePerHour() > 0;
    }

    private static Optional<LedgerEntry> last(List<LedgerEntry> ledger) {
        for (int i = ledger.size() - 1; i >= 0; i--) {
            if (ledger.get(i).kind() == CostKind.ELASTIC_IP) {
                return Optional.of(ledger.get(i));
            }
        }
        return Optional.empty();
    }

    private static Instant billedUntil(List<LedgerEntry> ledger) {
        Instant until = Instant.MIN;
        for (LedgerEntry e : ledger) {
            if (e.kind() == CostKind.ELASTIC_IP && e.end().isAfter(until)) {
                until = e.end();
            }
        }
        return until;
    }
}
