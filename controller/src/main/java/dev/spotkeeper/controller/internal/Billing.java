package dev.spotkeeper.controller.internal;

import dev.spotkeeper.core.ledger.CostKind;
import dev.spotkeeper.core.ledger.LedgerEntry;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The cost ledger, written per instance-hour: a live instance gets one entry for every full hour it has run and a
 * terminated one a last entry for the rest. Where the last entry ends is read back from the ledger, so billing
 * survives a restart of the controller without double counting. Checkpoint storage is billed alongside by
 * {@link DataBilling}, and a service's Elastic IP by {@link AddressBilling}.
 */
final class Billing {
    private static final Duration HOUR = Duration.ofHours(1);

    private final Context ctx;
    private final DataBilling data;
    private final AddressBilling address;

    Billing(Context ctx) {
        this.ctx = ctx;
        this.data = new DataBilling(ctx);
        this.address = new AddressBilling(ctx);
        ctx.endpoints.listen(address);
    }

    /** Appends the entries now due for the instances of one workload. */
    void bill(String workload, List<InstanceRecord> instances, Instant now) {
        List<LedgerEntry> ledger = ctx.store.ledger(workload);
        for (InstanceRecord r : instances) {
            Instant from = billedUntil(r, ledger);
            Instant end = r.state().isTerminal() ? r.updatedAt() : now;
            while (!Duration.between(from, end).minus(HOUR).isNegative()) {
                Instant next = from.plus(HOUR);
                ctx.store.appendLedger(entry(r, from, next));
                from = next;
            }
            if (r.state().isTerminal() && end.isAfter(from)) {
                ctx.store.appendLedger(entry(r, from, end));
            }
        }
        data.bill(workload, ledger, now);
        address.bill(workload, ctx.store.ledger(workload), now);
    }

    /**
     * Dollars the workload's current submission spent so far: its ledger entries plus what its live instances ran up
     * since their last entry. A name submitted again does not carry the earlier run's spend.
     */
    double spent(WorkloadRecord w, List<InstanceRecord> instances, Instant now) {
        List<LedgerEntry> ledger = ctx.store.ledger(w.name());
        double total = 0;
        for (LedgerEntry e : ledger) {
            if (w.isCurrent(e)) {
                total += e.amount();
            }
        }
        for (LedgerEntry e : unbilled(w, ledger, instances, now)) {
            total += e.amount();
        }
        return total;
    }

    /**
     * What the current submission's live instances and the checkpoint held ran up since their last entry, as the
     * entries that will bill it: not written, so a figure shown now ({@link #spent}, {@code cost}) can count it.
     */
    List<LedgerEntry> unbilled(WorkloadRecord w, List<InstanceRecord> instances, Instant now) {
        return unbilled(w, ctx.store.ledger(w.name()), instances, now);
    }

    private List<LedgerEntry> unbilled(WorkloadRecord w, List<LedgerEntry> ledger, List<InstanceRecord> instances,
                                       Instant now) {
        List<LedgerEntry> out = new ArrayList<>();
        for (InstanceRecord r : instances) {
            if (!r.state().isTerminal() && w.isCurrent(r)) {
                Instant from = billedUntil(r, ledger);
                if (now.isAfter(from)) {
                    out.add(entry(r, from, now));
                }
            }
        }
        data.unbilled(w.name(), ledger, now).ifPresent(out::add);
        address.unbilled(w.name(), ledger, now).filter(w::isCurrent).ifPresent(out::add);
        return out;
    }

    /** True when every terminated instance, and the storage of a finished workload, is billed up to its end. */
    boolean complete(String workload, List<InstanceRecord> instances) {
        List<LedgerEntry> ledger = ctx.store.ledger(workload);
        if (!data.complete(workload, ledger) || !address.complete(ledger)) {
            return false;
        }
        for (InstanceRecord r : instances) {
            if (billedUntil(r, ledger).isBefore(r.updatedAt())) {
                return false;
            }
        }
        return true;
    }

    /** Dollars per hour the live instances cost together. */
    static double burnRate(List<InstanceRecord> instances) {
        double rate = 0;
        for (InstanceRecord r : instances) {
            if (!r.state().isTerminal()) {
                rate += r.pricePerHour();
            }
        }
        return rate;
    }

    private LedgerEntry entry(InstanceRecord r, Instant from, Instant to) {
        double onDemand = ctx.pool(r.poolKey()).map(Launcher::onDemandPrice).orElse(r.pricePerHour());
        return LedgerEntry.compute(r.workload(), r.instanceId(), r.spot() ? CostKind.SPOT : CostKind.ON_DEMAND,
                from, to, r.pricePerHour(), Math.max(onDemand, r.pricePerHour()));
    }

    private static Instant billedUntil(InstanceRecord r, List<LedgerEntry> ledger) {
        Instant until = r.launchedAt();
        for (LedgerEntry e : ledger) {
            if (e.instanceId().equals(r.instanceId()) && e.kind().isCompute() && e.end().isAfter(until)) {
                until = e.end();
            }
        }
        return until;
    }

    private static double hours(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 3_600_000.0;
    }
}
