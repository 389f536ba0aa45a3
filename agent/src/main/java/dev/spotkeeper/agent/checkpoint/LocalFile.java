package dev.spotkeeper.agent.checkpoint;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A regular file of the checkpoint directory as found on disk. */
record LocalFile(String path, Path file, long size, long modifiedNanos) {
    /** The job touches this file when a checkpoint it was asked for is complete; it is never uploaded. */
    static final String READY_MARKER = ".spotkeeper-ready";

    LocalFile {
        requireNonNull(path, "path is null");
        requireNonNull(file, "file is null");
    }

    /** Every regular file below {@code dir} (symbolic links are not followed), largest first. */
    static List<LocalFile> scan(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<LocalFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (a.isRegularFile() && !rel.equals(READY_MARKER)) {
                    files.add(new LocalFile(rel, p, a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS)));
                }
            }
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "cannot read the checkpoint directory " + dir + ": " + e.getMessage(), e);
        }
        files.sort(Comparator.comparingLong(LocalFile::size).reversed().thenComparing(LocalFile::path));
        return files;
    }
}
