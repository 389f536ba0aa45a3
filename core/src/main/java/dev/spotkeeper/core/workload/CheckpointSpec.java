package dev.spotkeeper.core.workload;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the job checkpoints: the directory it writes ({@code SPOTKEEPER_CHECKPOINT_DIR}), how to ask it for a
 * checkpoint now (a signal sent to the job, or a command; empty when it checkpoints on its own), and how often
 * the agent syncs the directory to S3 in the background so the final upload is small.
 */
public record CheckpointSpec(String directory, String signal, String command, Duration syncInterval) {
    public CheckpointSpec {
        requireNonNull(directory, "directory is null");
        requireNonNull(signal, "signal is null");
        requireNonNull(command, "command is null");
        requireNonNull(syncInterval, "syncInterval is null");
    }
}
