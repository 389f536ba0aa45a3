package dev.spotkeeper.core.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A submitted workload: its spec as submitted (the original text, so it can be shown and re-read), its status and
 * progress as last reported. {@code version} as in {@link InstanceRecord}.
 */
public record WorkloadRecord(
        String name,
        String specText,
        WorkloadStatus status,
        double progress,
        String lastCheckpoint,
        Instant submittedAt,
        Instant updatedAt,
        long version) {

    public WorkloadRecord {
        requireNonNull(name, "name is null");
        requireNonNull(specText, "specText is null");
        requireNonNull(status, "status is null");
        requireNonNull(lastCheckpoint, "lastCheckpoint is null");
        requireNonNull(submittedAt, "submittedAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
    }

    public WorkloadRecord with(WorkloadStatus next, double progressNow, String checkpoint, Instant at) {
        return new WorkloadRecord(name, specText, next, progressNow, checkpoint, submittedAt, at, version);
    }

    public WorkloadRecord withVersion(long v) {
        return new WorkloadRecord(name, specText, status, progress, lastCheckpoint, submittedAt, updatedAt, v);
    }
}
