package dev.spotkeeper.core.checkpoint;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where checkpoints live (S3 in production): the one object-store port of the agent and the controller. Keys are
 * relative to the store's bucket (or its prefix in the bucket). Failures are
 * {@code SpotkeeperException}s ({@code UNAVAILABLE} when the store could not be reached, {@code CLOUD_ERROR}
 * otherwise); a missing object is a value ({@link Optional#empty()}), because restore expects to meet them.
 * Every method may be called from many threads at once.
 */
public interface ObjectStore {
    /** Uploads a whole file as one object. */
    void putFile(String key, Path file);

    void putBytes(String key, byte[] data);

    Optional<byte[]> getBytes(String key);

    /** {@code length} bytes of the object from {@code offset}; empty when the object does not exist. */
    Optional<InputStream> openRange(String key, long offset, long length);

    /** The object's size, empty when it does not exist. */
    Optional<Long> size(String key);

    /** The names directly below {@code prefix} (which ends with '/'), as a listing with delimiter '/' gives them. */
    List<String> listChildren(String prefix);

    /** Every object whose key starts with {@code prefix}. */
    List<StoredObject> list(String prefix);

    /** Removes the object; removing one that does not exist is no error. */
    void delete(String key);
}
