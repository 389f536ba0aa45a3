package dev.spotkeeper.agent.checkpoint;

import dev.spotkeeper.core.checkpoint.Manifest;
import dev.spotkeeper.core.checkpoint.ManifestFile;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Downloads one checkpoint into a directory, verifying every extent (a chunk, or a file inside a pack) against the
 * manifest's SHA-256 while it streams to disk. Extents lying next to each other in one object (the files of a pack)
 * come with one ranged GET; every such range is a task on the transfer pool, so chunks and packs download in
 * parallel. A checkpoint that fails is reported as a reason, so the caller can fall back to an older one.
 *
 * <p>What is already on this instance is not fetched again: of a file the previous restore left unchanged (same size
 * and modification time), every extent with the same offset, length and SHA-256 as before is copied from the local
 * file, its digest checked as it is read (an extent whose local bytes do not match after all is fetched). That is how
 * a replacement that prepared the newest checkpoint while the old instance was still evacuating restores the
 * evacuated one by fetching only what differs.
 */
final class CheckpointRestorer {
    /** Extents of one object this close are fetched with one ranged GET; the bytes between are read and dropped. */
    private static final long MAX_GAP = 256 * 1024;
    /** The most one ranged GET asks for, so that one large object still downloads in parallel pieces. */
    private static final long MAX_RANGE = 16 * TransferSettings.MIB;
    private static final String EMPTY_SHA256 = Digests.hex(new byte[0]);

    private final ObjectStore store;
    private final Executor pool;
    /** Bytes fetched from the store. */
    final AtomicLong bytes = new AtomicLong();
    /** Bytes taken from the files already on this instance. */
    final AtomicLong reused = new AtomicLong();

    /** A file of the checkpoint directory, unchanged since the restore or upload that {@code entry} describes. */
    record LocalCopy(Path file, ManifestFile entry) {
    }

    CheckpointRestorer(ObjectStore store, Executor pool) {
        this.store = store;
        this.pool = pool;
    }

    /** One extent and where its bytes go; {@code local} when the same bytes are at the same offset of a local file. */
    private record Piece(ManifestFile file, Path target, long fileOffset, ManifestFile.Extent extent, Path local) {
    }

    /** Checks every object exists and is long enough for the extents in it; the reason when one is not. */
    Optional<String> checkObjects(Manifest manifest) {
        Map<String, Long> needed = new LinkedHashMap<>();
        Map<String, String> owner = new LinkedHashMap<>();
        for (ManifestFile f : manifest.files()) {
            for (ManifestFile.Extent e : f.extents()) {
                needed.merge(e.key(), e.end(), Math::max);
                owner.putIfAbsent(e.key(), f.path());
            }
        }
        List<CompletableFuture<Optional<String>>> checks = new ArrayList<>();
        needed.forEach((key, end) -> checks.add(CompletableFuture.supplyAsync(() -> {
            Optional<Long> size = store.size(key);
            if (size.isEmpty()) {
                return Optional.of("object " + key + " of " + owner.get(key) + " is missing");
            }
            if (size.get() < end) {
                return Optional.of("object " + key + " has " + size.get() + " bytes, the manifest needs " + end);
            }
            return Optional.empty();
        }, pool)));
        return join(checks).stream().flatMap(Optional::stream).findFirst();
    }

    /** Downloads every file into {@code dir}; the reason when an object is missing or an extent does not match. */
    Optional<String> download(Manifest manifest, Path dir) {
        return download(manifest, dir, Map.of());
    }

    /** As {@link #download(Manifest, Path)}, taking what {@code local} (by path) already holds from there. */
    Optional<String> download(Manifest manifest, Path dir, Map<String, LocalCopy> local) {
        Map<String, List<Piece>> byKey = new LinkedHashMap<>();
        List<Piece> fromLocal = new ArrayList<>();
        for (ManifestFile f : manifest.files()) {
            Path target = dir.resolve(f.path()).normalize();
            if (!target.startsWith(dir)) {
                return Optional.of("path " + f.path() + " leaves the checkpoint directory");
            }
            if (!digestsAddUp(f)) {
                return Optional.of("the manifest's extent digests of " + f.path() + " do not add up to its sha256");
            }
            LocalCopy here = local.get(f.path());
            create(target, f.size());
            Map<Long, ManifestFile.Extent> localExtents = here == null ? Map.of() : byOffset(here.entry());
            long at = 0;
            for (ManifestFile.Extent e : f.extents()) {
                ManifestFile.Extent same = localExtents.get(at);
                if (same != null && same.length() == e.length() && same.sha256().equals(e.sha256())) {
                    fromLocal.add(new Piece(f, target, at, e, here.file()));
                } else {
                    byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(new Piece(f, target, at, e, null));
                }
                at += e.length();
            }
        }
        List<CompletableFuture<Optional<String>>> ranges = new ArrayList<>();
        for (Piece p : fromLocal) {
            ranges.add(CompletableFuture.supplyAsync(() -> copyLocal(p), pool));
        }
        for (Map.Entry<String, List<Piece>> object : byKey.entrySet()) {
            for (List<Piece> range : ranges(object.getValue())) {
                ranges.add(CompletableFuture.supplyAsync(() -> fetch(object.getKey(), range), pool));
            }
        }
        return join(ranges).stream().flatMap(Optional::stream).findFirst();
    }

    private static Map<Long, ManifestFile.Extent> byOffset(ManifestFile entry) {
        Map<Long, ManifestFile.Extent> out = new java.util.HashMap<>();
        long at = 0;
        for (ManifestFile.Extent e : entry.extents()) {
            out.put(at, e);
            at += e.length();
        }
        return out;
    }

    /**
     * One extent from the local file, its digest checked as it is read; fetched from the store after all when the
     * local bytes do not match (the file changed although its size and time did not).
     */
    private Optional<String> copyLocal(Piece p) {
        try (InputStream in = Files.newInputStream(p.local())) {
            in.skipNBytes(p.fileOffset());
            AtomicLong copied = new AtomicLong();
            if (copy(in, p, new byte[1 << 16], copied).isEmpty()) {
                reused.addAndGet(copied.get());
                return Optional.empty();
            }
        } catch (IOException e) {
            // fetched below
        }
        return fetch(p.extent().key(), List.of(new Piece(p.file(), p.target(), p.fileOffset(), p.extent(), null)));
    }

    private static boolean digestsAddUp(ManifestFile f) {
        List<ManifestFile.Extent> extents = f.extents();
        if (extents.isEmpty()) {
            return f.sha256().equals(EMPTY_SHA256);
        }
        if (extents.size() == 1) {
            return extents.get(0).sha256().equals(f.sha256());
        }
        return Digests.composite(extents.stream().map(ManifestFile.Extent::sha256).toList()).equals(f.sha256());
    }

    private static void create(Path target, long size) {
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel c = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                c.truncate(size);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** Splits one object's extents, by offset, into runs that one ranged GET each fetches. */
    private static List<List<Piece>> ranges(List<Piece> pieces) {
        List<Piece> sorted = new ArrayList<>(pieces);
        sorted.sort(Comparator.comparingLong(p -> p.extent().offset()));
        List<List<Piece>> ranges = new ArrayList<>();
        List<Piece> current = new ArrayList<>();
        long start = 0;
        long end = 0;
        for (Piece p : sorted) {
            ManifestFile.Extent e = p.extent();
            boolean joins = !current.isEmpty() && e.offset() >= end && e.offset() - end <= MAX_GAP
                    && e.end() - start <= MAX_RANGE;
            if (!current.isEmpty() && !joins) {
                ranges.add(current);
                current = new ArrayList<>();
            }
            if (current.isEmpty()) {
                start = e.offset();
            }
            current.add(p);
            end = e.end();
        }
        if (!current.isEmpty()) {
            ranges.add(current);
        }
        return ranges;
    }

    /** Streams one range of {@code key} into its files, checking each extent's digest. */
    private Optional<String> fetch(String key, List<Piece> range) {
        long start = range.get(0).extent().offset();
        long end = range.get(range.size() - 1).extent().end();
        Optional<InputStream> in = store.openRange(key, start, end - start);
        if (in.isEmpty()) {
            return Optional.of("object " + key + " of " + range.get(0).file().path() + " is missing");
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream stream = in.get()) {
            long position = start;
            for (Piece p : range) {
                stream.skipNBytes(p.extent().offset() - position);
                Optional<String> problem = copy(stream, p, buffer, bytes);
                if (problem.isPresent()) {
                    return problem;
                }
                position = p.extent().end();
            }
        } catch (IOException e) {
            return Optional.of("reading " + key + " failed: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** Copies one extent into its file, checking its digest; the bytes written are added to {@code counter}. */
    private Optional<String> copy(InputStream stream, Piece p, byte[] buffer, AtomicLong counter) throws IOException {
        MessageDigest digest = Digests.sha256();
        long length = p.extent().length();
        long written = 0;
        try (FileChannel out = FileChannel.open(p.target(), StandardOpenOption.WRITE)) {
            while (written < length) {
                int n = stream.read(buffer, 0, (int) Math.min(buffer.length, length - written));
                if (n < 0) {
                    break;
                }
                digest.update(buffer, 0, n);
                ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
                while (b.hasRemaining()) {
                    written += out.write(b, p.fileOffset() + written);
                }
            }
        }
        counter.addAndGet(written);
        String actual = HexFormat.of().formatHex(digest.digest());
        if (written != length || !actual.equals(p.extent().sha256())) {
            return Optional.of(mismatch(p, "expected sha256 " + p.extent().sha256() + ", got " + actual, written));
        }
        return Optional.empty();
    }

    private static String mismatch(Piece p, String detail, long bytes) {
        return "checksum mismatch for " + p.file().path() + (p.file().extents().size() > 1 ? " at offset " + p.fileOffset() : "")
                + ": " + detail + " (" + bytes + " bytes)";
    }

    private static <T> List<T> join(List<CompletableFuture<T>> futures) {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw CheckpointUploader.failure(e.getCause());
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }
}
