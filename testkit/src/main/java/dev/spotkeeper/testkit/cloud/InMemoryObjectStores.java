package dev.spotkeeper.testkit.cloud;

import dev.spotkeeper.core.checkpoint.ObjectStore;
import dev.spotkeeper.core.cloud.ObjectStores;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Buckets of objects in memory, each an {@link InMemoryObjectStore} created on first use. */
public final class InMemoryObjectStores implements ObjectStores {
    private final Map<String, InMemoryObjectStore> buckets = new ConcurrentHashMap<>();

    @Override
    public ObjectStore bucket(String bucket) {
        return buckets.computeIfAbsent(bucket, b -> new InMemoryObjectStore());
    }

    /** The object's bytes, if it was stored. */
    public Optional<byte[]> object(String bucket, String key) {
        return bucket(bucket).getBytes(key);
    }
}
