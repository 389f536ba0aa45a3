package dev.spotkeeper.core.workload;

import static java.util.Objects.requireNonNull;

/**
 * A job's own part: {@code setup} (run once before the job; empty for none) and {@code run}, each with
 * {@code /bin/sh -c}, and how the job checkpoints.
 */
public record JobExtension(String setup, String run, CheckpointSpec checkpoint) implements WorkloadExtension {
    public JobExtension {
        requireNonNull(setup, "setup is null");
        requireNonNull(run, "run is null");
        requireNonNull(checkpoint, "checkpoint is null");
    }

    @Override
    public WorkloadKind kind() {
        return WorkloadKind.JOB;
    }
}
