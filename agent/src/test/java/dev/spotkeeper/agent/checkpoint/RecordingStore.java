package dev.spotkeeper.agent.checkpoint;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import dev.spotkeeper.core.checkpoint.StoredObject;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a real store and records, in order, every object whose write completed. With {@code failAfterWrites} it breaks like a lost network after
 * that many writes, which is how an evacuation cut short by the instance's end looks.
 */
final class RecordingStore implements ObjectStore {
    private final ObjectStore delegate;
    final List<String> completedWrites = new CopyOnWriteArrayList<>();
    private final AtomicInteger budget;

    RecordingStore(ObjectStore delegate, int failAfterWrites) {
        this.delegate = delegate;
        this.budget = new AtomicInteger(failAfterWrites);
    }

    RecordingStore(ObjectStore delegate) {
        this(delegate, Integer.MAX_VALUE);
    }

    private void spend(String key) {
        if (budget.getAndDecrement() <= 0) {
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "connection lost while writing " + key);
        }
    }

    @Override
    public void putFile(String key, Path file) {
        spend(key);
        delegate.putFile(key, file);
        completedWrites.add(key);
    }

    @Override
    public void putBytes(String key, byte[] data) {
        spend(key);
        delegate.putBytes(key, data);
        completedWrites.add(key);
    }

    @Override
    public Optional<byte[]> getBytes(String key) {
        return delegate.getBytes(key);
    }

    @Override
    public Optional<InputStream> openRange(String key, long offset, long length) {
        return delegate.openRange(key, offset, length);
    }

    @Override
    public Optional<Long> size(String key) {
        return delegate.size(key);
    }

    @Override
    public List<String> listChildren(String prefix) {
        return delegate.listChildren(prefix);
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }
}
