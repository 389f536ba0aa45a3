package dev.spotkeeper.core.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * One cost: compute is billed by the second between {@code start} and {@code end} at {@code ratePerHour}
 * (with {@code onDemandRatePerHour}, the price the same hours would have cost on-demand, for the savings
 * figure); transfer is a flat {@code amount} at one instant; storage is either held over {@code start}..{@code end}
 * at {@code ratePerHour} (the rate of the checkpoint kept then) or, with start equal to end and no amount, marks
 * that from then on a checkpoint costing {@code ratePerHour} is kept.
 */
public record LedgerEntry(
        String workload,
        String instanceId,
        CostKind kind,
        Instant start,
        Instant end,
        double ratePerHour,
        double onDemandRatePerHour,
        double amount,
        String note) {

    public LedgerEntry {
        requireNonNull(workload, "workload is null");
        requireNonNull(instanceId, "instanceId is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
        requireNonNull(note, "note is null");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("end " + end + " is before start " + start);
        }
        if (ratePerHour < 0 || onDemandRatePerHour < 0 || amount < 0) {
            throw new IllegalArgumentException("rates and amounts must not be negative");
        }
    }

    public static LedgerEntry compute(String workload, String instanceId, CostKind kind, Instant start, Instant end,
                                      double ratePerHour, double onDemandRatePerHour) {
        if (!kind.isCompute()) {
            throw new IllegalArgumentException(kind + " is not compute");
        }
        double hours = hours(start, end);
        return new LedgerEntry(workload, instanceId, kind, start, end, ratePerHour, onDemandRatePerHour,
                hours * ratePerHour, String.format(java.util.Locale.ROOT, "%.4f h at $%.4f/h", hours, ratePerHour));
    }

    public static LedgerEntry flat(String workload, String instanceId, CostKind kind, Instant at, double amount, String note) {
        if (kind.isCompute()) {
            throw new IllegalArgumentException(kind + " is billed by time, not as a flat amount");
        }
        return new LedgerEntry(workload, instanceId, kind, at, at, 0, 0, amount, note);
    }

    /**
     * Storage held from {@code start} to {@code end} at {@code ratePerHour}; with {@code start} equal to {@code end}
     * it costs nothing and records the rate from then on.
     */
    public static LedgerEntry storage(String workload, Instant start, Instant end, double ratePerHour, String note) {
        return new LedgerEntry(workload, "", CostKind.STORAGE, start, end, ratePerHour, 0,
                hours(start, end) * ratePerHour, note);
    }

    /**
     * A service's Elastic IP held from {@code start} to {@code end} at {@code ratePerHour}; with {@code start} equal
     * to {@code end} it costs nothing and marks that the address is held from then on at that rate (allocated), or,
     * with a rate of 0, that it no longer is (released).
     */
    public static LedgerEntry elasticIp(String workload, Instant start, Instant end, double ratePerHour, String note) {
        return new LedgerEntry(workload, "", CostKind.ELASTIC_IP, start, end, ratePerHour, 0,
                hours(start, end) * ratePerHour, note);
    }

    public double hours() {
        return hours(start, end);
    }

    /**
     * What this cost would have been had everything run on-demand: compute at the on-demand rate; storage the same
     * (an on-demand run keeps its checkpoints too), and a service's address the same (it needs its endpoint on
     * on-demand too); transfer nothing, since moving checkpoints between regions is
     * the price of chasing cheap spot capacity, and counting it on both sides would hide it from the savings.
     */
    public double onDemandEquivalent() {
        return switch (kind) {
            case SPOT, ON_DEMAND -> hours() * onDemandRatePerHour;
            case STORAGE, ELASTIC_IP -> amount;
            case TRANSFER -> 0;
        };
    }

    private static double hours(Instant start, Instant end) {
        return Duration.between(start, end).toMillis() / 3_600_000.0;
    }
}
