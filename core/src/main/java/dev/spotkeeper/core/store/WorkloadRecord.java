package dev.spotkeeper.core.store;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ledger.LedgerEntry;
import java.time.Instant;

/**
 * A submitted workload: its spec as submitted (its canonical JSON, {@code WorkloadSpecJson}), its status and
 * progress as last reported, and what the current submission's job has done ({@link JobRun}). {@code version} as in
 * {@link InstanceRecord}.
 */
public record WorkloadRecord(
        String name,
        String specText,
        WorkloadStatus status,
        double progress,
        String lastCheckpoint,
        Instant submittedAt,
        Instant updatedAt,
        long version,
        JobRun run,
        FleetState fleet) {

    public WorkloadRecord {
        requireNonNull(name, "name is null");
        requireNonNull(specText, "specText is null");
        requireNonNull(status, "status is null");
        requireNonNull(lastCheckpoint, "lastCheckpoint is null");
        requireNonNull(submittedAt, "submittedAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
        requireNonNull(run, "run is null");
        requireNonNull(fleet, "fleet is null");
    }

    /** A workload that is no fleet, or whose fleet was not made yet. */
    public WorkloadRecord(String name, String specText, WorkloadStatus status, double progress, String lastCheckpoint,
                          Instant submittedAt, Instant updatedAt, long version, JobRun run) {
        this(name, specText, status, progress, lastCheckpoint, submittedAt, updatedAt, version, run, FleetState.NONE);
    }

    /** A workload whose job has not run yet in this submission. */
    public WorkloadRecord(String name, String specText, WorkloadStatus status, double progress, String lastCheckpoint,
                          Instant submittedAt, Instant updatedAt, long version) {
        this(name, specText, status, progress, lastCheckpoint, submittedAt, updatedAt, version, JobRun.NONE);
    }

    public WorkloadRecord with(WorkloadStatus next, double progressNow, String checkpoint, Instant at) {
        return new WorkloadRecord(name, specText, next, progressNow, checkpoint, submittedAt, at, version, run, fleet);
    }

    public WorkloadRecord withRun(JobRun next, Instant at) {
        return new WorkloadRecord(name, specText, status, progress, lastCheckpoint, submittedAt, at, version, next, fleet);
    }

    /** The same record with what its fleet's group is now ({@link FleetState}). */
    public WorkloadRecord withFleet(FleetState next, Instant at) {
        return new WorkloadRecord(name, specText, status, progress, lastCheckpoint, submittedAt, at, version, run, next);
    }

    /** The same record with its spec in another text (a stored spec of before schema versions, converted). */
    public WorkloadRecord withSpecText(String text) {
        return new WorkloadRecord(name, text, status, progress, lastCheckpoint, submittedAt, updatedAt, version, run, fleet);
    }

    public WorkloadRecord withVersion(long v) {
        return new WorkloadRecord(name, specText, status, progress, lastCheckpoint, submittedAt, updatedAt, v, run, fleet);
    }

    /**
     * True when the instance was launched for this submission. A name submitted again after its last run ended keeps
     * that run's instances (generations and client tokens never repeat), but they are not this run's.
     */
    public boolean isCurrent(InstanceRecord instance) {
        return !instance.launchedAt().isBefore(submittedAt);
    }

    /** True when the ledger entry is this submission's (see {@link #isCurrent(InstanceRecord)}). */
    public boolean isCurrent(LedgerEntry entry) {
        return !entry.start().isBefore(submittedAt);
    }
}
