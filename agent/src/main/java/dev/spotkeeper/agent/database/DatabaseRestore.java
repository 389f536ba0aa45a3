package dev.spotkeeper.agent.database;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Restores a server from S3 alone: the newest base backup whose SHA-256 matches the catalog (an older one when it
 * does not, or when it cannot be prepared), then every shipped segment after it in GTID order, each verified
 * before it is replayed. A segment that fails verification, or a gap in the ranges, ends the replay there: the
 * server holds what could be verified, never something unverified, and the report names the missing range.
 */
public final class DatabaseRestore {
    private final MariaDbServer server;
    private final ObjectStore store;

    public DatabaseRestore(MariaDbServer server, ObjectStore store) {
        this.server = requireNonNull(server, "server is null");
        this.store = requireNonNull(store, "store is null");
    }

    /** True when S3 holds a base backup to restore from. */
    public static boolean hasBackup(ObjectStore store) {
        return !DatabaseBackup.readCatalog(store).bases().isEmpty();
    }

    /**
     * Restores into the server's (emptied) data directory and starts it. Fails when no base verifies.
     *
     * @param rootPassword the root password the backed-up server had (its user table comes with the data)
     */
    public RestoreReport restore(String rootPassword, Duration startTimeout) {
        BackupCatalog catalog = DatabaseBackup.readCatalog(store);
        if (catalog.bases().isEmpty()) {
            throw SpotkeeperException.invalidArgument("no base backup in the catalog: nothing to restore from");
        }
        List<String> refused = new ArrayList<>();
        BackupCatalog.Base used = null;
        for (BackupCatalog.Base base : catalog.basesNewestFirst()) {
            Optional<String> problem = restoreBase(base);
            if (problem.isEmpty()) {
                used = base;
                break;
            }
            refused.add("base " + base.key() + " (GTID " + base.gtid() + "): " + problem.get());
        }
        if (used == null) {
            throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "no base backup passed verification, so none is"
                    + " served: " + String.join("; ", refused));
        }
        server.rootPassword(rootPassword);
        server.start(startTimeout);
        // The restored server's own binary log starts at the base's position, so GTIDs continue across servers.
        server.sql("RESET MASTER;\nSET GLOBAL gtid_binlog_state = '" + used.gtid() + "';");
        Replayed r = replayAfter(catalog, used.gtid());
        refused.addAll(r.refused());
        // What was replayed is in S3 already: start this server's own history at the restored position.
        server.sql("RESET MASTER;\nSET GLOBAL gtid_binlog_state = '" + r.position() + "';");
        return new RestoreReport(used.key(), refused, r.segments(), r.position(), r.missing());
    }

    /** What a replay reached. */
    record Replayed(String position, int segments, List<String> refused, Optional<String> missing) {
    }

    /**
     * Replays, on the running server, every segment of the catalog after {@code from}, in GTID order, each verified
     * first; stops at a segment that does not verify or at a gap, naming the missing range.
     */
    Replayed replayAfter(BackupCatalog catalog, String from) {
        String position = from;
        int replayed = 0;
        List<String> refused = new ArrayList<>();
        Optional<String> missing = Optional.empty();
        String newest = catalog.newestPosition();
        List<BackupCatalog.Segment> segments = new ArrayList<>(catalog.segments());
        segments.sort(Comparator.comparingLong(BackupCatalog.Segment::startSequence)
                .thenComparingLong(BackupCatalog.Segment::endSequence));
        for (BackupCatalog.Segment s : segments) {
            long at = Gtids.sequence(position);
            if (s.endSequence() <= at) {
                continue;
            }
            if (s.startSequence() > at) {
                missing = Optional.of("after " + position + " up to " + newest + " (no segment holds the"
                        + " transactions after " + position + ")");
                break;
            }
            Optional<Path> file = verified(s.key(), s.sha256());
            if (file.isEmpty()) {
                refused.add("segment " + s.key() + " (GTID after " + s.start() + " up to " + s.end()
                        + "): SHA-256 does not match the catalog");
                missing = Optional.of("after " + position + " up to " + newest);
                break;
            }
            try {
                server.replay(List.of(file.get()), position);
            } finally {
                delete(file.get());
            }
            position = server.value("SELECT @@GLOBAL.gtid_binlog_pos");
            replayed++;
        }
        return new Replayed(position, replayed, refused, missing);
    }

    /** Downloads, verifies, unpacks and prepares one base; the problem when it cannot be used. */
    private Optional<String> restoreBase(BackupCatalog.Base base) {
        server.wipe();
        server.createDirectories();
        Optional<Path> file = verified(base.key(), base.sha256());
        if (file.isEmpty()) {
            return Optional.of("SHA-256 does not match the catalog (or the object is missing)");
        }
        try (InputStream in = Files.newInputStream(file.get())) {
            MariaDbServer.Result x = server.tool(List.of(server.binaries().mbstream().toString(), "-x", "-C",
                    server.layout().data().toString()), in, Duration.ofHours(1));
            if (x.exitCode() != 0) {
                return Optional.of("mbstream could not unpack it: " + x.err().strip());
            }
        } catch (IOException e) {
            return Optional.of("cannot read it back: " + e.getMessage());
        } finally {
            delete(file.get());
        }
        MariaDbServer.Result p = server.tool(List.of(server.binaries().backup().toString(), "--no-defaults",
                "--prepare", "--target-dir=" + server.layout().data()), null, Duration.ofHours(1));
        if (p.exitCode() != 0) {
            String err = p.err().strip();
            return Optional.of("mariadb-backup --prepare failed: " + err.substring(Math.max(0, err.length() - 300)));
        }
        return Optional.empty();
    }

    /** The object in a local file when its SHA-256 is the expected one; empty (and nothing left) otherwise. */
    private Optional<Path> verified(String key, String sha256) {
        Path tmp = server.layout().root().resolve("download.tmp");
        try {
            Files.createDirectories(tmp.getParent());
            var digest = DatabaseBackup.sha256();
            Optional<Long> size = store.size(key);
            if (size.isEmpty()) {
                return Optional.empty();
            }
            Optional<InputStream> in = store.openRange(key, 0, size.get());
            if (in.isEmpty()) {
                return Optional.empty();
            }
            try (InputStream src = in.get();
                 var out = new java.security.DigestOutputStream(Files.newOutputStream(tmp), digest)) {
                src.transferTo(out);
            }
            if (!java.util.HexFormat.of().formatHex(digest.digest()).equals(sha256)) {
                delete(tmp);
                return Optional.empty();
            }
            Path kept = Files.createTempFile(server.layout().root(), "verified", ".bin");
            Files.move(tmp, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return Optional.of(kept);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download " + key, e);
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temp file; the next restore replaces it
        }
    }
}
