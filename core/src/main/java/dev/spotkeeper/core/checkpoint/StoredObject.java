package dev.spotkeeper.core.checkpoint;

import static java.util.Objects.requireNonNull;

/** An object as a listing shows it. */
public record StoredObject(String key, long size) {
    public StoredObject {
        requireNonNull(key, "key is null");
    }
}
