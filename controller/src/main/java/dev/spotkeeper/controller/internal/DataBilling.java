package dev.spotkeeper.controller.internal;

import dev.spotkeeper.core.ledger.CostKind;
import dev.spotkeeper.core.ledger.DataPrices;
import dev.spotkeeper.core.ledger.LedgerEntry;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The ledger's storage and transfer dollars, from the agent's byte counts (docs/ledger.md).
 *
 * <p>Transfer: a restore or an upload between an instance and a checkpoint bucket in another region is one
 * TRANSFER entry, at the moment the report is handled. Its note names the bytes, the regions and the checkpoint, and
 * an entry with the same instance and note is never written twice, so billing is idempotent even without the
 * inbox's de-duplication.
 *
 * <p>Storage: the newest checkpoint is held in S3 from its report until the workload ends. A report whose
 * checkpoint costs a different rate (more than 1 % apart) closes the period held at the old rate and writes a
 * zero-length entry carrying the new rate; while nothing changes, one entry per full hour is written, and a last
 * one when the workload ends. Everything billing needs (the rate, where the last entry ends) is read back from the
 * ledger, so a restarted controller continues where the previous one stopped and never bills an hour twice.
 */
final class DataBilling {
    private static final Duration HOUR = Duration.ofHours(1);
    /** Checkpoints within this fraction of the held size keep the held rate: no ledger write for every upload. */
    private static final double SAME_SIZE = 0.01;

    private final Context ctx;

    DataBilling(Context ctx) {
        this.ctx = ctx;
    }

    /** The agent restored {@code bytes} of {@code checkpoint} from the checkpoint bucket onto {@code r}. */
    void restored(InstanceRecord r, String checkpoint, long bytes, Instant now) {
        String bucket = bucketRegion(r.workload());
        transfer(r, bucket, Moves.region(r), "restore " + checkpoint, bytes, now);
    }

    /**
     * The agent on {@code r} uploaded {@code bytesSent} to the checkpoint bucket, committing {@code checkpoint} of
     * {@code storedBytes} in all (negative when the agent did not say).
     */
    void uploaded(InstanceRecord r, String checkpoint, long bytesSent, long storedBytes, Instant now) {
        String bucket = bucketRegion(r.workload());
        transfer(r, Moves.region(r), bucket, "upload " + checkpoint, bytesSent, now);
        if (storedBytes >= 0 && !checkpoint.isEmpty()) {
            held(r.workload(), checkpoint, storedBytes, bucket, now);
        }
    }

    /**
     * A service's primary {@code r} uploaded {@code bytes} of its backup since its previous report, {@code sentInAll}
     * since its agent started: one transfer entry when the bucket is in another region. The note names the running
     * count, so a report delivered again (or read again by a restarted controller) is billed once.
     */
    void shipped(InstanceRecord r, String position, long bytes, long sentInAll, Instant now) {
        String bucket = bucketRegion(r.workload());
        transfer(r, Moves.region(r), bucket, String.format(Locale.ROOT, "database backup shipped up to %s, %d bytes"
                + " from this agent in all", position.isEmpty() ? "?" : position, sentInAll), bytes, now);
    }

    /** Appends the storage entries now due for the workload. */
    void bill(String workload, List<LedgerEntry> ledger, Instant now) {
        Optional<WorkloadRecord> w = ctx.store.workload(workload);
        Optional<LedgerEntry> last = lastStorage(ledger);
        if (w.isEmpty() || last.isEmpty()) {
            return;
        }
        Instant from = from(w.get(), ledger);
        Instant end = end(w.get(), now);
        double rate = last.get().ratePerHour();
        while (!Duration.between(from, end).minus(HOUR).isNegative()) {
            Instant next = from.plus(HOUR);
            ctx.store.appendLedger(held(workload, from, next, rate));
            from = next;
        }
        if (w.get().status().isTerminal() && end.isAfter(from)) {
            ctx.store.appendLedger(held(workload, from, end, rate));
        }
    }

    /** Storage run up since the last entry and not yet in the ledger, as the entry that will bill it. */
    Optional<LedgerEntry> unbilled(String workload, List<LedgerEntry> ledger, Instant now) {
        Optional<WorkloadRecord> w = ctx.store.workload(workload);
        Optional<LedgerEntry> last = lastStorage(ledger);
        if (w.isEmpty() || last.isEmpty()) {
            return Optional.empty();
        }
        Instant from = from(w.get(), ledger);
        Instant end = end(w.get(), now);
        return end.isAfter(from) ? Optional.of(held(workload, from, end, last.get().ratePerHour())) : Optional.empty();
    }

    /** True when a finished workload's storage is billed up to its end. */
    boolean complete(String workload, List<LedgerEntry> ledger) {
        Optional<WorkloadRecord> w = ctx.store.workload(workload);
        if (w.isEmpty() || lastStorage(ledger).isEmpty() || !w.get().status().isTerminal()) {
            return true;
        }
        return !from(w.get(), ledger).isBefore(w.get().updatedAt());
    }

    private void transfer(InstanceRecord r, String from, String to, String what, long bytes, Instant now) {
        if (bytes <= 0) {
            return;
        }
        double dollars = ctx.config.dataPrices().transfer(bytes, from, to);
        if (dollars <= 0) {
            return;
        }
        String note = String.format(Locale.ROOT, "%.2f GB %s → %s (%s)", DataPrices.gigabytes(bytes), from, to, what);
        for (LedgerEntry e : ctx.store.ledger(r.workload())) {
            if (e.kind() == CostKind.TRANSFER && e.instanceId().equals(r.instanceId()) && e.note().equals(note)) {
                return;
            }
        }
        ctx.store.appendLedger(LedgerEntry.flat(r.workload(), r.instanceId(), CostKind.TRANSFER, now, dollars, note));
    }

    /**
     * A service's backup holds {@code bytes} in {@code objects} objects below its prefix (bases, binary-log
     * segments, the catalog), as the controller listed it: billed as the workload's storage from now, at the
     * checkpoint bucket's region's price, the same way as a job's newest checkpoint.
     */
    void backupHeld(String workload, long bytes, int objects, Instant now) {
        if (bytes < 0) {
            return;
        }
        Optional<WorkloadRecord> w = ctx.store.workload(workload);
        if (w.isEmpty() || w.get().status().isTerminal()) {
            return;
        }
        String region = bucketRegion(workload);
        held(workload, w, String.format(Locale.ROOT, "database backup, %d objects",
                objects), bytes, region, now);
    }

    private void held(String workload, String checkpoint, long storedBytes, String region, Instant now) {
        Optional<WorkloadRecord> w = ctx.store.workload(workload);
        if (w.isEmpty() || checkpoint.compareTo(w.get().lastCheckpoint()) < 0) {
            // A late report of an older checkpoint: the newest one is what stays in the bucket.
            return;
        }
        held(workload, w, checkpoint, storedBytes, region, now);
    }

    private void held(String workload, Optional<WorkloadRecord> w, String checkpoint, long storedBytes, String region,
                      Instant now) {
        double rate = ctx.config.dataPrices().storagePerHour(storedBytes, region);
        List<LedgerEntry> ledger = ctx.store.ledger(workload);
        Optional<LedgerEntry> last = lastStorage(ledger);
        if (last.isPresent() && Math.abs(rate - last.get().ratePerHour()) <= SAME_SIZE * last.get().ratePerHour()) {
            return;
        }
        if (last.isPresent()) {
            Instant from = from(w.get(), ledger);
            Instant end = end(w.get(), now);
            if (end.isAfter(from)) {
                ctx.store.appendLedger(held(workload, from, end, last.get().ratePerHour()));
            }
        }
        ctx.store.appendLedger(LedgerEntry.storage(workload, now, now, rate, String.format(Locale.ROOT,
                "holding %.2f GB (%s) in %s at $%.4f/GB-month", DataPrices.gigabytes(storedBytes), checkpoint, region,
                ctx.config.dataPrices().storagePerGbMonth(region))));
    }

    private static LedgerEntry held(String workload, Instant from, Instant to, double rate) {
        return LedgerEntry.storage(workload, from, to, rate, String.format(Locale.ROOT,
                "checkpoint storage %.4f h at $%.6f/h", hours(from, to), rate));
    }

    /** The checkpoint bucket's region: the spec's {@code buckets.region}, else the control plane's. */
    private String bucketRegion(String workload) {
        Optional<WorkloadRecord> w = ctx.store.workload(workload);
        if (w.isPresent()) {
            try {
                String region = ctx.spec(w.get().specText()).buckets().region();
                if (!region.isEmpty()) {
                    return region;
                }
            } catch (RuntimeException e) {
                // The reconciler fails a workload whose spec can no longer be read; bill as the default here.
            }
        }
        return ctx.config.region();
    }

    /** Where storage billing resumes: after the last entry, and never before the current submission. */
    private static Instant from(WorkloadRecord w, List<LedgerEntry> ledger) {
        Instant until = w.submittedAt();
        for (LedgerEntry e : ledger) {
            if (e.kind() == CostKind.STORAGE && e.end().isAfter(until)) {
                until = e.end();
            }
        }
        return until;
    }

    private static Instant end(WorkloadRecord w, Instant now) {
        return w.status().isTerminal() ? w.updatedAt() : now;
    }

    private static Optional<LedgerEntry> lastStorage(List<LedgerEntry> ledger) {
        for (int i = ledger.size() - 1; i >= 0; i--) {
            if (ledger.get(i).kind() == CostKind.STORAGE) {
                return Optional.of(ledger.get(i));
            }
        }
        return Optional.empty();
    }

    private static double hours(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 3_600_000.0;
    }
}
