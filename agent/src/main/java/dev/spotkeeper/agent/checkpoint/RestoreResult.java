package dev.spotkeeper.agent.checkpoint;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.checkpoint.Manifest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The checkpoint restored (empty for a fresh start) and every checkpoint skipped, with why; {@code bytes} were
 * fetched from the store, {@code reusedBytes} taken from the files already on this instance.
 */
public record RestoreResult(Optional<Manifest> restored, List<Skipped> skipped, long bytes, long reusedBytes,
                            Duration elapsed) {
    /** A checkpoint restore passed over: incomplete, damaged or with a missing or corrupt object. */
    public record Skipped(String checkpointId, String reason) {
        public Skipped {
            requireNonNull(checkpointId, "checkpointId is null");
            requireNonNull(reason, "reason is null");
        }
    }

    public RestoreResult {
        requireNonNull(restored, "restored is null");
        skipped = List.copyOf(skipped);
        requireNonNull(elapsed, "elapsed is null");
    }

    /** Everything fetched from the store, nothing from local files. */
    public RestoreResult(Optional<Manifest> restored, List<Skipped> skipped, long bytes, Duration elapsed) {
        this(restored, skipped, bytes, 0, elapsed);
    }

    public String checkpointId() {
        return restored.map(Manifest::id).orElse("");
    }
}
