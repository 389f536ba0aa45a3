package dev.spotkeeper.testkit.cloud;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.ObjectStorePort;
import dev.spotkeeper.core.cloud.ObjectStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** Buckets of objects in memory, each created on first use. */
public final class InMemoryObjectStores implements ObjectStores {
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Override
    public ObjectStorePort bucket(String bucket) {
        return buckets.computeIfAbsent(bucket, b -> new Bucket());
    }

    /** The object's bytes, if it was stored. */
    public Optional<byte[]> object(String bucket, String key) {
        return bucket(bucket).getBytes(key);
    }

    private static final class Bucket implements ObjectStorePort {
        private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();

        @Override
        public void put(String key, Path file) {
            try {
                putBytes(key, Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void putBytes(String key, byte[] content) {
            objects.put(key, content.clone());
        }

        @Override
        public Optional<byte[]> getBytes(String key) {
            return Optional.ofNullable(objects.get(key)).map(byte[]::clone);
        }

        @Override
        public void get(String key, Path target) {
            byte[] b = getBytes(key).orElseThrow(() -> SpotkeeperException.invalidArgument("no object " + key));
            try {
                Files.write(target, b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public List<ObjectInfo> list(String prefix) {
            return objects.tailMap(prefix).entrySet().stream().takeWhile(e -> e.getKey().startsWith(prefix))
                    .map(e -> new ObjectInfo(e.getKey(), e.getValue().length)).toList();
        }

        @Override
        public void delete(String key) {
            objects.remove(key);
        }
    }
}
