package dev.spotkeeper.agent.checkpoint;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.checkpoint.Manifest;
import java.time.Duration;

/**
 * A committed checkpoint and what it cost: {@code bytesSent} went over the network, {@code bytesReused} were already
 * stored by an earlier checkpoint (unchanged files and chunks), which the manifest points at instead.
 */
public record UploadResult(Manifest manifest, long bytesSent, long bytesReused, int filesSent, int filesReused,
                           Duration elapsed) {
    public UploadResult {
        requireNonNull(manifest, "manifest is null");
        requireNonNull(elapsed, "elapsed is null");
    }

    public double seconds() {
        return elapsed.toNanos() / 1e9;
    }
}
