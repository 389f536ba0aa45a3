package dev.spotkeeper.core.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * One cost: compute is billed by the second between {@code start} and {@code end} at {@code ratePerHour}
 * (with {@code onDemandRatePerHour}, the price the same hours would have cost on-demand, for the savings
 * figure); storage and transfer are a flat {@code amount}.
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

    public double hours() {
        return hours(start, end);
    }

    /** What these hours would have cost on-demand (compute), or the amount itself (storage, transfer). */
    public double onDemandEquivalent() {
        return kind.isCompute() ? hours() * onDemandRatePerHour : amount;
    }

    private static double hours(Instant start, Instant end) {
        return Duration.between(start, end).toMillis() / 3_600_000.0;
    }
}
