package dev.spotkeeper.agent.checkpoint;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.ManifestFile;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Uploads the files of one checkpoint (not its manifest). Every file and every part of a large file is one task on
 * the transfer pool; no task waits on another, so a bounded pool cannot deadlock. A part is hashed from the same
 * bytes that are sent, so a file the job rewrites meanwhile can never get a digest that does not match its object.
 */
final class CheckpointUploader {
    private final ObjectStore store;
    private final Executor pool;
    private final TransferSettings settings;
    final AtomicLong bytesSent = new AtomicLong();
    final AtomicLong bytesCopied = new AtomicLong();
    private final List<ObjectStore.MultipartUpload> open = new CopyOnWriteArrayList<>();

    CheckpointUploader(ObjectStore store, Executor pool, TransferSettings settings) {
        this.store = store;
        this.pool = pool;
        this.settings = settings;
    }

    /** One file's outcome: its manifest entry and whether its bytes went (or were copied) anew. */
    record Outcome(ManifestFile entry, boolean sent) {
    }

    /**
     * @param reusable entries known unchanged (same size and modification time as when they were uploaded)
     * @param previous the previous manifest's entries by path, to skip unchanged content and copy unchanged parts
     */
    List<Outcome> upload(List<LocalFile> files, String keyPrefix, Map<String, ManifestFile> reusable,
                         Map<String, ManifestFile> previous) {
        List<CompletableFuture<Outcome>> futures = new ArrayList<>();
        for (LocalFile f : files) {
            ManifestFile known = reusable.get(f.path());
            if (known != null) {
                futures.add(CompletableFuture.completedFuture(new Outcome(known, false)));
            } else if (f.size() > settings.multipartThreshold()) {
                futures.add(large(f, keyPrefix + f.path(), previous.get(f.path())));
            } else {
                futures.add(CompletableFuture.supplyAsync(() -> small(f, keyPrefix + f.path(), previous.get(f.path())), pool));
            }
        }
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            abortOpen();
            throw failure(e.getCause());
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    private Outcome small(LocalFile f, String key, ManifestFile previous) {
        try {
            byte[] data = Files.readAllBytes(f.file());
            String sha = Digests.hex(data);
            if (previous != null && previous.partSize() == 0 && previous.sameContent(data.length, sha)) {
                return new Outcome(previous, false);
            }
            store.putBytes(key, data);
            bytesSent.addAndGet(data.length);
            return new Outcome(ManifestFile.single(f.path(), data.length, sha, key), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f.file(), e);
        }
    }

    private CompletableFuture<Outcome> large(LocalFile f, String key, ManifestFile previous) {
        long partSize = settings.partSize();
        int count = (int) ((f.size() + partSize - 1) / partSize);
        ObjectStore.MultipartUpload upload = store.startMultipart(key);
        open.add(upload);
        String[] digests = new String[count];
        boolean canCopy = previous != null && previous.partSize() == partSize;
        CompletableFuture<?>[] parts = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            int index = i;
            long offset = i * partSize;
            int length = (int) Math.min(partSize, f.size() - offset);
            Optional<String> before = canCopy && index < previous.parts().size()
                    ? Optional.of(previous.parts().get(index)) : Optional.empty();
            parts[i] = CompletableFuture.runAsync(() -> {
                byte[] data = readRange(f, offset, length);
                digests[index] = Digests.hex(data);
                // Equal digests mean equal bytes, so the same range exists in the previous object.
                if (before.isPresent() && before.get().equals(digests[index])) {
                    upload.copyPart(index + 1, previous.key(), offset, length);
                    bytesCopied.addAndGet(length);
                } else {
                    upload.uploadPart(index + 1, data);
                    bytesSent.addAndGet(length);
                }
            }, pool);
        }
        return CompletableFuture.allOf(parts).thenApplyAsync(done -> {
            List<String> list = Arrays.asList(digests);
            String composite = Digests.composite(list);
            upload.complete();
            open.remove(upload);
            return new Outcome(new ManifestFile(f.path(), f.size(), composite, key, partSize, list), true);
        }, pool);
    }

    private static byte[] readRange(LocalFile f, long offset, int length) {
        byte[] data = new byte[length];
        try (InputStream in = Files.newInputStream(f.file())) {
            in.skipNBytes(offset);
            int read = in.readNBytes(data, 0, length);
            if (read != length) {
                throw new IOException(f.file() + " shrank while it was being uploaded");
            }
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f.file(), e);
        }
    }

    void abortOpen() {
        for (ObjectStore.MultipartUpload u : open) {
            u.abort();
        }
        open.clear();
    }

    static SpotkeeperException failure(Throwable cause) {
        if (cause instanceof SpotkeeperException se) {
            return se;
        }
        if (cause instanceof UncheckedIOException io) {
            return SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, io.getMessage() + ": " + io.getCause().getMessage(), io);
        }
        return SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "checkpoint upload failed: " + cause, cause);
    }
}
