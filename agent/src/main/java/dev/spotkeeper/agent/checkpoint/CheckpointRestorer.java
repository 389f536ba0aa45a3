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
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Downloads one checkpoint into a directory, verifying every file (or every part of a large file, fetched with
 * parallel ranged GETs) against the manifest's SHA-256. A checkpoint that fails is reported as a reason, so the
 * caller can fall back to an older one.
 */
final class CheckpointRestorer {
    private final ObjectStore store;
    private final Executor pool;
    final AtomicLong bytes = new AtomicLong();

    CheckpointRestorer(ObjectStore store, Executor pool) {
        this.store = store;
        this.pool = pool;
    }

    /** Checks every object exists with the manifest's size; the reason when one does not. */
    Optional<String> checkObjects(Manifest manifest) {
        List<CompletableFuture<Optional<String>>> checks = new ArrayList<>();
        for (ManifestFile f : manifest.files()) {
            checks.add(CompletableFuture.supplyAsync(() -> {
                Optional<Long> size = store.size(f.key());
                if (size.isEmpty()) {
                    return Optional.of("object " + f.key() + " of " + f.path() + " is missing");
                }
                if (size.get() != f.size()) {
                    return Optional.of("object " + f.key() + " has " + size.get() + " bytes, the manifest says " + f.size());
                }
                return Optional.empty();
            }, pool));
        }
        return join(checks).stream().flatMap(Optional::stream).findFirst();
    }

    /** Downloads every file into {@code dir}; the reason when one is missing or does not match its digest. */
    Optional<String> download(Manifest manifest, Path dir) {
        List<CompletableFuture<Optional<String>>> parts = new ArrayList<>();
        for (ManifestFile f : manifest.files()) {
            Path target = dir.resolve(f.path()).normalize();
            if (!target.startsWith(dir)) {
                return Optional.of("path " + f.path() + " leaves the checkpoint directory");
            }
            try {
                Files.createDirectories(target.getParent());
                try (FileChannel c = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    c.truncate(f.size());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + target, e);
            }
            if (f.partSize() == 0) {
                parts.add(CompletableFuture.supplyAsync(() -> range(f, target, 0, f.size(), f.sha256()), pool));
            } else {
                if (!Digests.composite(f.parts()).equals(f.sha256())) {
                    return Optional.of("the manifest's part digests of " + f.path() + " do not add up to its sha256");
                }
                for (int i = 0; i < f.parts().size(); i++) {
                    long offset = i * f.partSize();
                    long length = Math.min(f.partSize(), f.size() - offset);
                    String digest = f.parts().get(i);
                    parts.add(CompletableFuture.supplyAsync(() -> range(f, target, offset, length, digest), pool));
                }
            }
        }
        return join(parts).stream().flatMap(Optional::stream).findFirst();
    }

    private Optional<String> range(ManifestFile f, Path target, long offset, long length, String expected) {
        Optional<InputStream> in = store.openRange(f.key(), offset, length);
        if (in.isEmpty()) {
            return Optional.of("object " + f.key() + " of " + f.path() + " is missing");
        }
        MessageDigest digest = Digests.sha256();
        long written = 0;
        try (InputStream stream = in.get();
             FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = stream.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
                ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
                while (b.hasRemaining()) {
                    written += out.write(b, offset + written);
                }
            }
        } catch (IOException e) {
            return Optional.of("reading " + f.key() + " failed: " + e.getMessage());
        }
        bytes.addAndGet(written);
        String actual = HexFormat.of().formatHex(digest.digest());
        if (written != length || !actual.equals(expected)) {
            return Optional.of("checksum mismatch for " + f.path() + (f.partSize() > 0 ? " at offset " + offset : "")
                    + ": expected sha256 " + expected + ", got " + actual + " (" + written + " bytes)");
        }
        return Optional.empty();
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
