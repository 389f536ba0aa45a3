package dev.spotkeeper.agent.checkpoint;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.checkpoint.Manifest;
import java.time.Duration;

/**
 * A committed checkpoint and what it cost: {@code bytesSent} went over the network, {@code bytesCopied} were
 * copied inside the store from the previous checkpoint, the rest was referenced unchanged.
 */
public record UploadResult(Manifest manifest, long bytesSent, long bytesCopied, int filesSent, int filesReused,
                           Duration elapsed) {
    public UploadResult {
        requireNonNull(manifest, "manifest is null");
        requireNonNull(elapsed, "elapsed is null");
    }

    public double seconds() {
        return elapsed.toNanos() / 1e9;
    }
}
