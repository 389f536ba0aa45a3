package dev.spotkeeper.core.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the current submission's job has done, as far as the limits and {@code status} need it. A new submission
 * starts with {@link #NONE}.
 *
 * @param startedAt when the job first ran (the first restore report of this submission): {@code maxDuration} counts
 *     from here
 * @param longestUploadSeconds the longest checkpoint upload the agent reported, which sizes the margin a limit keeps
 *     for the final checkpoint
 * @param restoredCheckpoint the checkpoint the job last resumed from (empty: a fresh start, or none yet)
 * @param skippedCheckpoints the newer checkpoints that restore passed over, each {@code "<id>: <reason>"}
 */
public record JobRun(Optional<Instant> startedAt, double longestUploadSeconds, String restoredCheckpoint,
                     List<String> skippedCheckpoints) {
    public static final JobRun NONE = new JobRun(Optional.empty(), 0, "", List.of());

    public JobRun {
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(restoredCheckpoint, "restoredCheckpoint is null");
        skippedCheckpoints = List.copyOf(skippedCheckpoints);
        if (!(longestUploadSeconds >= 0)) {
            throw new IllegalArgumentException("longestUploadSeconds must be >= 0, was " + longestUploadSeconds);
        }
    }

    /** Started at {@code at}, unless it started before. */
    public JobRun startedAt(Instant at) {
        return startedAt.isPresent() ? this : new JobRun(Optional.of(at), longestUploadSeconds, restoredCheckpoint,
                skippedCheckpoints);
    }

    public JobRun restored(String checkpoint, List<String> skipped) {
        return new JobRun(startedAt, longestUploadSeconds, checkpoint, skipped);
    }

    /** Remembers an upload that took {@code seconds}, if it is the longest yet. */
    public JobRun uploaded(double seconds) {
        return seconds <= longestUploadSeconds || !Double.isFinite(seconds) ? this
                : new JobRun(startedAt, seconds, restoredCheckpoint, skippedCheckpoints);
    }
}
