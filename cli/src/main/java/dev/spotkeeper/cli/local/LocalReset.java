package dev.spotkeeper.cli.local;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Deletes what local control planes keep between them: the emulator's work directory (workloads, instances'
 * directories and consoles, checkpoints and results in S3) and the event log. Only while no plane runs, holding
 * the plane's lock so that none starts half-way.
 */
final class LocalReset {
    private LocalReset() {
    }

    /** What a reset would delete, for the question asked before it. */
    record Contents(List<Path> paths, long files, long bytes) {
        boolean isEmpty() {
            return paths.isEmpty();
        }
    }

    static Contents contents(LocalHome home) {
        List<Path> paths = Stream.of(home.workDirectory(), home.journalFile()).filter(Files::exists).toList();
        long files = 0;
        long bytes = 0;
        for (Path p : paths) {
            try (Stream<Path> all = Files.walk(p)) {
                for (Path f : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                    files++;
                    bytes += Files.size(f);
                }
            } catch (IOException | UncheckedIOException e) {
                // counted as far as it could be read; the deletion reports what it cannot remove
            }
        }
        return new Contents(paths, files, bytes);
    }

    /** Refuses while a plane runs (or starts): its lock is held. */
    static void delete(LocalHome home, Contents contents) {
        Optional<Connection> running = LocalPlane.running(home);
        if (running.isPresent()) {
            throw runs(running.get().pid());
        }
        Optional<PlaneLock> lock = PlaneLock.tryTake(home);
        if (lock.isEmpty()) {
            throw runs(-1);
        }
        try (PlaneLock held = lock.get()) {
            for (Path p : contents.paths()) {
                deleteTree(p);
            }
        }
    }

    static SpotkeeperException runs(long pid) {
        return SpotkeeperException.invalidArgument("a local control plane runs" + (pid > 0 ? " (pid " + pid + ")"
                : " or is starting") + "; stop it first with `spotkeeper local stop`, then reset");
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "cannot delete " + root + ": " + e.getMessage()
                    + "; remove it by hand");
        }
    }
}
