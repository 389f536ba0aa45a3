package dev.spotkeeper.agent.database;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Protects a running primary in S3, below the workload's database prefix: a physical base backup
 * ({@code mariadb-backup --backup --stream=xbstream}, its SHA-256 and the GTID position it holds) and the binary log
 * shipped as closed files ({@code FLUSH BINARY LOGS} first when the open one has unshipped transactions), each with
 * its GTID range and SHA-256. Each object is uploaded before the catalog that names it, so the catalog is always
 * written last.
 */
public final class DatabaseBackup {
    private static final Pattern BASE_GTID = Pattern.compile("GTID of the last change '([0-9,\\- ]*)'");
    private static final Pattern BASE_BINLOG = Pattern.compile("filename '([^'/]+)', position '([0-9]+)'");

    private final MariaDbServer server;
    private final ObjectStore store;
    private final int generation;
    private final Clock clock;
    private final Set<String> shipped = new HashSet<>();
    private BackupCatalog catalog;

    /** @param store keys relative to the workload's database prefix ({@code <checkpoints>/<workload>/db/}) */
    public DatabaseBackup(MariaDbServer server, ObjectStore store, int generation, Clock clock) {
        this.server = requireNonNull(server, "server is null");
        this.store = requireNonNull(store, "store is null");
        this.generation = generation;
        this.clock = requireNonNull(clock, "clock is null");
        this.catalog = readCatalog(store);
        for (BackupCatalog.Segment s : catalog.segments()) {
            if (s.generation() == generation) {
                shipped.add(s.file());
            }
        }
    }

    static BackupCatalog readCatalog(ObjectStore store) {
        return store.getBytes(BackupCatalog.KEY)
                .map(b -> BackupCatalog.read(BackupCatalog.KEY, new String(b, StandardCharsets.UTF_8)))
                .orElse(BackupCatalog.empty());
    }

    public BackupCatalog catalog() {
        return catalog;
    }

    /** Takes a base backup and uploads it, then the catalog. */
    public BackupCatalog.Base base() {
        Path tmp = server.layout().root().resolve("base.xbstream");
        Path errors = server.layout().root().resolve("base.err");
        Path target = server.layout().tmp().resolve("base-target");
        MariaDbServer.deleteTree(target);
        MessageDigest sha = sha256();
        long size;
        try {
            Files.createDirectories(target);
            Process p = server.toolProcess(List.of(server.binaries().backup().toString(), "--no-defaults", "--backup",
                    "--stream=xbstream", "--socket=" + server.layout().socket(), "--user=root",
                    "--target-dir=" + target), errors);
            p.getOutputStream().close();
            try (InputStream in = p.getInputStream();
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
                size = in.transferTo(out);
            }
            int code = MariaDbServer.waitFor(p, Duration.ofHours(6));
            String log = Files.readString(errors);
            if (code != 0) {
                throw SpotkeeperException.of(dev.spotkeeper.core.ErrorCode.INTERNAL_ERROR, "mariadb-backup failed"
                        + " (exit " + code + "): " + tail(log));
            }
            String gtid = basePosition(log);
            String id = String.format(Locale.ROOT, "%020d-g%d-%d", Gtids.sequence(gtid), generation,
                    clock.millis());
            String key = "base/" + id + ".xbstream";
            store.putFile(key, tmp);
            BackupCatalog.Base base = new BackupCatalog.Base(key, HexFormat.of().formatHex(sha.digest()), size, gtid,
                    generation, clock.instant());
            catalog = catalog.withBase(base);
            writeCatalog();
            return base;
        } catch (IOException e) {
            throw new UncheckedIOException("base backup failed", e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // left for the next backup to replace
            }
            MariaDbServer.deleteTree(target);
        }
    }

    /**
     * The GTID position a base holds. {@code mariadb-backup} reports the binary-log file and offset it stopped
     * commits at, and "the GTID of the last change", which is {@code @@gtid_current_pos}: on a restored server that
     * has committed nothing of its own yet, that is empty (its binary log's last GTID came from another server id,
     * and it replicates from none), although the base holds everything up to the restored position. Recorded
     * empty, such a base sorted as the oldest and, chosen, replayed the whole history on top of itself. So the
     * position is the one of the file and offset ({@code BINLOG_GTID_POS}), exact for any server.
     */
    private String basePosition(String log) {
        Matcher b = BASE_BINLOG.matcher(log);
        String file = null;
        String offset = null;
        while (b.find()) {
            file = b.group(1);
            offset = b.group(2);
        }
        if (file != null) {
            String pos = server.value("SELECT BINLOG_GTID_POS('" + file + "', " + offset + ")");
            if (!pos.isEmpty() && !pos.equals("NULL")) {
                return pos;
            }
        }
        Matcher m = BASE_GTID.matcher(log);
        String gtid = "";
        while (m.find()) {
            gtid = m.group(1).strip();
        }
        return gtid;
    }

    /**
     * Ships every closed binary-log file not shipped yet, first closing the open one when it holds transactions
     * not shipped; returns the segments uploaded.
     */
    public List<BackupCatalog.Segment> ship() {
        List<String> files = binlogs();
        if (files.isEmpty()) {
            return List.of();
        }
        String open = files.get(files.size() - 1);
        String openStart = gtidList(open);
        String now = server.value("SELECT @@GLOBAL.gtid_binlog_pos");
        if (Gtids.sequence(now) > Gtids.sequence(openStart)) {
            server.sql("FLUSH BINARY LOGS");
            files = binlogs();
        }
        List<BackupCatalog.Segment> added = new ArrayList<>();
        for (int i = 0; i + 1 < files.size(); i++) {
            String file = files.get(i);
            if (shipped.contains(file)) {
                continue;
            }
            String start = gtidList(file);
            String end = gtidList(files.get(i + 1));
            if (Gtids.sequence(end) > Gtids.sequence(start)) {
                Path path = server.layout().binlogs().resolve(file);
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(path);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + path, e);
                }
                String key = String.format(Locale.ROOT, "binlog/%020d-g%d-%s", Gtids.sequence(start), generation,
                        file);
                store.putBytes(key, bytes);
                BackupCatalog.Segment s = new BackupCatalog.Segment(key, file, hex(bytes), bytes.length, start, end,
                        generation, clock.instant());
                catalog = catalog.withSegment(s);
                added.add(s);
            }
            shipped.add(file);
        }
        if (!added.isEmpty()) {
            writeCatalog();
        }
        return added;
    }

    /** The newest GTID position in S3. */
    public String shippedPosition() {
        return catalog.newestPosition();
    }

    private void writeCatalog() {
        store.putBytes(BackupCatalog.KEY, catalog.write().getBytes(StandardCharsets.UTF_8));
    }

    private List<String> binlogs() {
        List<String> out = new ArrayList<>();
        for (String line : server.sql("SHOW BINARY LOGS").split("\n")) {
            if (!line.isBlank()) {
                out.add(line.split("\t")[0]);
            }
        }
        return out;
    }

    /** The GTID position a binary-log file starts at: its Gtid_list event. */
    private String gtidList(String file) {
        for (String line : server.sql("SHOW BINLOG EVENTS IN '" + file + "' LIMIT 4").split("\n")) {
            String[] cols = line.split("\t");
            if (cols.length >= 6 && cols[2].equals("Gtid_list")) {
                String list = cols[5].strip();
                return list.startsWith("[") && list.endsWith("]") ? list.substring(1, list.length() - 1) : list;
            }
        }
        throw SpotkeeperException.of(dev.spotkeeper.core.ErrorCode.INTERNAL_ERROR, "the binary log " + file
                + " has no Gtid_list event");
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static String tail(String log) {
        String s = log.strip();
        return s.substring(Math.max(0, s.length() - 600));
    }

    Optional<BackupCatalog.Base> newestBase() {
        return catalog.basesNewestFirst().stream().findFirst();
    }
}
