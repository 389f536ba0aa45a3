package dev.spotkeeper.cli.local;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The state directory of the local control plane: {@code -Dspotkeeper.home}, else {@code $SPOTKEEPER_HOME}, else
 * {@code ~/.spotkeeper}. The system property exists because a JVM cannot change its own environment (tests) and
 * is how the background process is told where it lives.
 */
public record LocalHome(Path dir) {
    public static final String PROPERTY = "spotkeeper.home";
    public static final String VARIABLE = "SPOTKEEPER_HOME";

    public LocalHome {
        requireNonNull(dir, "dir is null");
        dir = dir.toAbsolutePath().normalize();
    }

    public static LocalHome resolve() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(VARIABLE);
        }
        if (p == null || p.isBlank()) {
            return new LocalHome(Path.of(System.getProperty("user.home"), ".spotkeeper"));
        }
        return new LocalHome(Path.of(p));
    }

    /** Endpoint, generated credentials, queue URL and pid of the running plane; owner-only. */
    public Path connectionFile() {
        return dir.resolve("plane.json");
    }

    /** Standard output and error of the background process. */
    public Path logFile() {
        return dir.resolve("plane.log");
    }

    /** The resident controller's event log, one JSON object a line, which {@code run} follows. */
    public Path journalFile() {
        return dir.resolve("events.log");
    }

    /** Locked by the running plane for its whole life; the system releases it when the process dies. */
    public Path lockFile() {
        return dir.resolve("plane.lock");
    }

    /**
     * The emulator's files, kept across planes: instances' work directories and console logs, S3 objects
     * (checkpoints, results), DynamoDB's tables (workloads, instances, ledger).
     */
    public Path workDirectory() {
        return dir.resolve("work");
    }

    /** Creates the directory, owner-only where the file system has POSIX permissions. */
    public void ensure() {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                try {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException notPosix) {
                    // the connection file itself is still written owner-only where possible
                }
            }
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "cannot create the state directory " + dir + ": "
                    + e.getMessage() + "; set " + VARIABLE + " to a directory you can write");
        }
    }
}
