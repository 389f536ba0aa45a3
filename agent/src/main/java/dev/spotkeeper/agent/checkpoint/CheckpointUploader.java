package dev.spotkeeper.agent.checkpoint;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.ManifestFile;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Uploads the files of one checkpoint (not its manifest) as plain single-request objects: a large file as chunk
 * objects of {@code chunkSize} bytes, small files packed together into pack objects. Every chunk and every pack is
 * one task on the transfer pool; no task waits on another, so a bounded pool cannot deadlock. Bytes are hashed from
 * the same buffer that is sent, so a file the job rewrites meanwhile can never get a digest that does not match
 * its object. A chunk or small file whose digest equals the previous checkpoint's is not sent again: the manifest
 * points at the earlier object.
 */
final class CheckpointUploader {
    private final ObjectStore store;
    private final Executor pool;
    private final TransferSettings settings;
    final AtomicLong bytesSent = new AtomicLong();
    final AtomicLong bytesReused = new AtomicLong();

    CheckpointUploader(ObjectStore store, Executor pool, TransferSettings settings) {
        this.store = store;
        this.pool = pool;
        this.settings = settings;
    }

    /** One file's outcome: its manifest entry and whether any of its bytes were sent anew. */
    record Outcome(ManifestFile entry, boolean sent) {
    }

    /**
     * @param keyPrefix where this checkpoint's objects go, ending with '/'
     * @param reusable entries known unchanged (same size and modification time as when they were uploaded)
     * @param previous the previous manifest's entries by path, to skip unchanged files and chunks
     */
    List<Outcome> upload(List<LocalFile> files, String keyPrefix, Map<String, ManifestFile> reusable,
                         Map<String, ManifestFile> previous) {
        List<CompletableFuture<List<Outcome>>> futures = new ArrayList<>();
        List<LocalFile> small = new ArrayList<>();
        for (LocalFile f : files) {
            ManifestFile known = reusable.get(f.path());
            if (known != null) {
                bytesReused.addAndGet(known.size());
                futures.add(CompletableFuture.completedFuture(List.of(new Outcome(known, false))));
            } else if (f.size() > settings.packLimit()) {
                futures.add(chunked(f, keyPrefix + "chunks/" + f.path() + "/", previous.get(f.path())).thenApply(List::of));
            } else {
                small.add(f);
            }
        }
        int number = 0;
        for (List<LocalFile> group : packGroups(small)) {
            String key = keyPrefix + String.format(Locale.ROOT, "packs/pack-%05d", number++);
            futures.add(CompletableFuture.supplyAsync(() -> pack(group, key, previous), pool));
        }
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw failure(e.getCause());
        }
        return futures.stream().flatMap(f -> f.join().stream()).toList();
    }

    /** Consecutive runs of small files of at most {@code chunkSize} bytes together (a run holds at least one file). */
    private List<List<LocalFile>> packGroups(List<LocalFile> small) {
        List<List<LocalFile>> groups = new ArrayList<>();
        List<LocalFile> current = new ArrayList<>();
        long bytes = 0;
        for (LocalFile f : small) {
            if (!current.isEmpty() && bytes + f.size() > settings.chunkSize()) {
                groups.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(f);
            bytes += f.size();
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    /**
     * Reads and hashes each file; the changed ones are concatenated into one object at {@code key}. The pack is
     * built in one buffer sized from the scan, so a task holds about one pack and one file in memory.
     */
    private List<Outcome> pack(List<LocalFile> group, String key, Map<String, ManifestFile> previous) {
        List<Outcome> outcomes = new ArrayList<>();
        byte[] packed = new byte[Math.toIntExact(group.stream().mapToLong(LocalFile::size).sum())];
        int length = 0;
        for (LocalFile f : group) {
            byte[] data = readAll(f);
            String sha = Digests.hex(data);
            ManifestFile before = previous.get(f.path());
            if (before != null && before.sameContent(data.length, sha)) {
                bytesReused.addAndGet(data.length);
                outcomes.add(new Outcome(before, false));
                continue;
            }
            if (length + data.length > packed.length) {
                // The file grew since the scan.
                packed = Arrays.copyOf(packed, Math.max(packed.length * 2, length + data.length));
            }
            System.arraycopy(data, 0, packed, length, data.length);
            outcomes.add(new Outcome(ManifestFile.single(f.path(), data.length, sha, key, length), true));
            length += data.length;
        }
        if (length > 0) {
            store.putBytes(key, length == packed.length ? packed : Arrays.copyOf(packed, length));
            bytesSent.addAndGet(length);
        }
        return outcomes;
    }

    private CompletableFuture<Outcome> chunked(LocalFile f, String keyPrefix, ManifestFile previous) {
        long chunkSize = settings.chunkSize();
        int count = Math.toIntExact((f.size() + chunkSize - 1) / chunkSize);
        Map<Long, ManifestFile.Extent> before = byFileOffset(previous);
        ManifestFile.Extent[] extents = new ManifestFile.Extent[count];
        AtomicBoolean sent = new AtomicBoolean();
        CompletableFuture<?>[] chunks = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            int index = i;
            long offset = i * chunkSize;
            int length = (int) Math.min(chunkSize, f.size() - offset);
            chunks[i] = CompletableFuture.runAsync(() -> {
                byte[] data = readRange(f, offset, length);
                String sha = Digests.hex(data);
                ManifestFile.Extent old = before.get(offset);
                // Equal digests mean equal bytes: the earlier object already holds exactly this range of the file.
                if (old != null && old.length() == length && old.sha256().equals(sha)) {
                    extents[index] = old;
                    bytesReused.addAndGet(length);
                } else {
                    String key = keyPrefix + String.format(Locale.ROOT, "%06d", index);
                    store.putBytes(key, data);
                    extents[index] = new ManifestFile.Extent(key, 0, length, sha);
                    bytesSent.addAndGet(length);
                    sent.set(true);
                }
            }, pool);
        }
        return CompletableFuture.allOf(chunks).thenApply(done -> {
            List<ManifestFile.Extent> list = Arrays.asList(extents);
            String sha = count == 1 ? list.get(0).sha256() : Digests.composite(list.stream().map(ManifestFile.Extent::sha256).toList());
            return new Outcome(new ManifestFile(f.path(), f.size(), sha, list), sent.get());
        });
    }

    /** The previous version's extents by the offset in the file where each starts. */
    private static Map<Long, ManifestFile.Extent> byFileOffset(ManifestFile previous) {
        Map<Long, ManifestFile.Extent> map = new HashMap<>();
        if (previous != null) {
            long at = 0;
            for (ManifestFile.Extent e : previous.extents()) {
                map.put(at, e);
                at += e.length();
            }
        }
        return map;
    }

    private static byte[] readAll(LocalFile f) {
        try {
            return Files.readAllBytes(f.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f.file(), e);
        }
    }

    private static byte[] readRange(LocalFile f, long offset, int length) {
        byte[] data = new byte[length];
        ByteBuffer buffer = ByteBuffer.wrap(data);
        try (FileChannel channel = FileChannel.open(f.file(), StandardOpenOption.READ)) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new IOException(f.file() + " shrank while it was being uploaded");
                }
            }
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f.file(), e);
        }
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
