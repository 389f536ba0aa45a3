package dev.spotkeeper.core.cloud;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Object storage (S3) as the agent and the controller need it. Keys are relative to one bucket. */
public interface ObjectStorePort {
    /** One listed object. */
    record ObjectInfo(String key, long size) {
    }

    void put(String key, Path file);

    void putBytes(String key, byte[] content);

    Optional<byte[]> getBytes(String key);

    void get(String key, Path target);

    List<ObjectInfo> list(String prefix);

    void delete(String key);
}
