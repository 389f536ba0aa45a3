package dev.spotkeeper.agent.database;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.checkpoint.ObjectStore;
import dev.spotkeeper.core.checkpoint.StoredObject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A service's backup store that counts the bytes it moves: uploaded (bases, segments, the catalog, heartbeats) and
 * downloaded (what a restore and a catch-up read). The agent reports them so the controller can bill the transfer
 * when the bucket is in another region (docs/ledger.md). Listings and deletions move no object bytes.
 */
public final class CountingStore implements ObjectStore {
    private final ObjectStore store;
    private final AtomicLong uploaded = new AtomicLong();
    private final AtomicLong downloaded = new AtomicLong();

    public CountingStore(ObjectStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** Bytes uploaded through this store since it was made. */
    public long uploaded() {
        return uploaded.get();
    }

    /** Bytes downloaded through this store since it was made. */
    public long downloaded() {
        return downloaded.get();
    }

    @Override
    public void putFile(String key, Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store.putFile(key, file);
        uploaded.addAndGet(size);
    }

    @Override
    public void putBytes(String key, byte[] data) {
        store.putBytes(key, data);
        uploaded.addAndGet(data.length);
    }

    @Override
    public Optional<byte[]> getBytes(String key) {
        Optional<byte[]> data = store.getBytes(key);
        data.ifPresent(d -> downloaded.addAndGet(d.length));
        return data;
    }

    @Override
    public Optional<InputStream> openRange(String key, long offset, long length) {
        return store.openRange(key, offset, length).map(in -> new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    downloaded.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                int n = super.read(buffer, off, len);
                if (n > 0) {
                    downloaded.addAndGet(n);
                }
                return n;
            }
        });
    }

    @Override
    public Optional<Long> size(String key) {
        return store.size(key);
    }

    @Override
    public List<String> listChildren(String prefix) {
        return store.listChildren(prefix);
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return store.list(prefix);
    }

    @Override
    public void delete(String key) {
        store.delete(key);
    }
}
