package dev.spotkeeper.cli.local;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock of a local home: held exclusively by the control plane for its whole life, and dropped by the system when
 * its process ends, however it ends. That it is held is what tells a live plane from a dead one: a pid can be reused,
 * and the start time of a process as two processes compute it can disagree (it is derived from the boot time, which
 * moves when the clock is stepped), so neither alone is proof.
 *
 * <p>The locks are POSIX record locks, which a process loses when it closes any descriptor of the file: this process
 * therefore opens the file only while it does not hold the lock itself, and remembers the homes it holds.
 */
public final class PlaneLock implements AutoCloseable {
    /** How long taking it waits out another process's probe, which holds a shared lock for an instant. */
    private static final Duration PROBES = Duration.ofSeconds(2);

    /** The lock files this process holds. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private PlaneLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    private static Path key(LocalHome home) {
        return home.lockFile().toAbsolutePath().normalize();
    }

    /** Takes the lock for a plane (or a reset); empty when a plane of this or another process holds it. */
    public static synchronized Optional<PlaneLock> tryTake(LocalHome home) {
        home.ensure();
        Path file = key(home);
        if (HELD.contains(file)) {
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(home.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            long giveUp = System.nanoTime() + PROBES.toNanos();
            while (true) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException sameProcess) {
                    channel.close();
                    return Optional.empty();
                }
                if (lock != null) {
                    HELD.add(file);
                    return Optional.of(new PlaneLock(file, channel, lock));
                }
                if (System.nanoTime() - giveUp > 0) {
                    channel.close();
                    return Optional.empty();
                }
                Thread.sleep(20);
            }
        } catch (IOException e) {
            closeQuietly(channel);
            throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "cannot lock " + home.lockFile() + ": "
                    + e.getMessage());
        } catch (InterruptedException e) {
            closeQuietly(channel);
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** True when a plane, of this process or another, holds the lock now. */
    public static synchronized boolean held(LocalHome home) {
        if (HELD.contains(key(home))) {
            return true;
        }
        if (!Files.exists(home.lockFile())) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(home.lockFile(), StandardOpenOption.READ)) {
            // Shared: two commands looking at once do not stand in each other's way.
            FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException sameProcess) {
            return true;
        } catch (NoSuchFileException gone) {
            return false;
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "cannot read the lock " + home.lockFile() + ": "
                    + e.getMessage());
        }
    }

    @Override
    public void close() {
        HELD.remove(file);
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing held any more
            }
        }
    }
}
