package dev.spotkeeper.agent;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import dev.spotkeeper.core.checkpoint.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/** Copies a whole S3 prefix to a directory (the job's source) and a directory to a prefix (its results), in parallel. */
final class Folders {
    private Folders() {
    }

    static long download(ObjectStore store, String prefix, Path dir, Executor pool) {
        List<StoredObject> objects = store.list(prefix).stream().filter(o -> !o.key().endsWith("/")).toList();
        run(objects.stream().map(o -> CompletableFuture.runAsync(() -> {
            Path target = dir.resolve(o.key().substring(prefix.length())).normalize();
            if (!target.startsWith(dir)) {
                throw SpotkeeperException.invalidArgument("source object " + o.key() + " would land outside " + dir);
            }
            try (InputStream in = store.openRange(o.key(), 0, o.size()).orElseThrow(() ->
                    SpotkeeperException.of(ErrorCode.UNAVAILABLE, "source object " + o.key() + " vanished while downloading"))) {
                Files.createDirectories(target.getParent());
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "cannot write " + target + ": " + e.getMessage(), e);
            }
        }, pool)).toList());
        return objects.stream().mapToLong(StoredObject::size).sum();
    }

    static long upload(ObjectStore store, Path dir, String prefix, Executor pool) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "cannot read " + dir + ": " + e.getMessage(), e);
        }
        run(files.stream().map(f -> CompletableFuture.runAsync(() ->
                store.putFile(prefix + dir.relativize(f).toString().replace('\\', '/'), f), pool)).toList());
        return files.stream().mapToLong(f -> f.toFile().length()).sum();
    }

    private static void run(List<CompletableFuture<Void>> tasks) {
        try {
            CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SpotkeeperException se) {
                throw se;
            }
            throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "transfer failed: " + e.getCause(), e.getCause());
        }
    }
}
