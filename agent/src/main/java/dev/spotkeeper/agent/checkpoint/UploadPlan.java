package dev.spotkeeper.agent.checkpoint;

import java.time.Duration;

/**
 * What an upload of the checkpoint directory now is expected to cost: the bytes of files changed since the last
 * upload (a changed large file counts whole, as the chunks that changed are only known after hashing) and the
 * time that takes at the measured (or assumed) rate.
 */
public record UploadPlan(long changedBytes, int changedFiles, double bytesPerSecond, boolean measured) {
    public Duration estimate() {
        return Duration.ofMillis((long) Math.ceil(changedBytes / bytesPerSecond * 1000));
    }

    /** Whether the upload is expected to finish within {@code available}. */
    public boolean fits(Duration available) {
        return estimate().compareTo(available) <= 0;
    }
}
