package dev.spotkeeper.testkit.cloud;

import dev.spotkeeper.core.checkpoint.ObjectStore;
import dev.spotkeeper.core.checkpoint.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/** An {@link ObjectStore} in memory, keys in order as S3 lists them; safe for many threads. */
public final class InMemoryObjectStore implements ObjectStore {
    private final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();

    @Override
    public void putFile(String key, Path file) {
        try {
            objects.put(key, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void putBytes(String key, byte[] data) {
        objects.put(key, data.clone());
    }

    @Override
    public Optional<byte[]> getBytes(String key) {
        return Optional.ofNullable(objects.get(key)).map(byte[]::clone);
    }

    @Override
    public Optional<InputStream> openRange(String key, long offset, long length) {
        byte[] data = objects.get(key);
        if (data == null) {
            return Optional.empty();
        }
        int from = (int) Math.min(offset, data.length);
        int to = (int) Math.min(offset + length, data.length);
        return Optional.of(new ByteArrayInputStream(Arrays.copyOfRange(data, from, to)));
    }

    @Override
    public Optional<Long> size(String key) {
        return Optional.ofNullable(objects.get(key)).map(d -> (long) d.length);
    }

    @Override
    public List<String> listChildren(String prefix) {
        Set<String> names = new LinkedHashSet<>();
        for (String key : objects.keySet()) {
            if (key.startsWith(prefix)) {
                int slash = key.indexOf('/', prefix.length());
                if (slash >= 0) {
                    names.add(key.substring(prefix.length(), slash));
                }
            }
        }
        return new ArrayList<>(names);
    }

    @Override
    public List<StoredObject> list(String prefix) {
        List<StoredObject> out = new ArrayList<>();
        objects.forEach((key, data) -> {
            if (key.startsWith(prefix)) {
                out.add(new StoredObject(key, data.length));
            }
        });
        return out;
    }

    @Override
    public void delete(String key) {
        objects.remove(key);
    }
}
