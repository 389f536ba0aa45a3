package dev.spotkeeper.core.store;

/** Where a workload is, as a whole. */
public enum WorkloadStatus {
    /** Submitted; nothing launched yet. */
    SUBMITTED,
    /** An instance is running it (or being replaced). */
    RUNNING,
    /** Finished with exit 0, results uploaded. */
    SUCCEEDED,
    /** The job failed, or a limit (budget, max duration) stopped it. */
    FAILED,
    /** Cancelled by its owner. */
    CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
