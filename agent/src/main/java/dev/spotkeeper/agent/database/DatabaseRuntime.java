package dev.spotkeeper.agent.database;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import dev.spotkeeper.core.workload.DatabaseSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A service's database on its instance: brings the server up (a first start, a restart on its own data, or a
 * restore from S3 when a backup exists and this instance has no data), then protects it (a base backup every
 * {@code backup.base}, binary-log shipping every {@code backup.ship}) until stopped.
 *
 * <p>First start: {@code mariadb-install-db}, the server started, the root and application passwords generated and
 * stored through the secret store, the schema and an application user of the same name created, {@code init} run
 * once, then a first base backup, so a replacement always has one to restore.
 */
public final class DatabaseRuntime implements AutoCloseable {
    /** How the database is reached: no password (that is in the secret store, under {@link #passwordSecret}). */
    public record Endpoint(String host, int port, String user, String database, String passwordSecret) {
    }

    /** How the server came up. */
    public enum Start { FIRST_START, RESTARTED, RESTORED }

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final String workload;
    private final DatabaseSpec spec;
    private final MariaDbServer server;
    private final ObjectStore store;
    private final DatabaseSecrets secrets;
    private final Path workDirectory;
    private final int generation;
    private final Clock clock;
    private final Consumer<String> log;
    private DatabaseBackup backup;
    private Optional<RestoreReport> restore = Optional.empty();
    private Instant lastBase = Instant.MIN;
    private Optional<TakeOver> takeOver = Optional.empty();
    private Duration handOverWait = Duration.ofMinutes(3);

    /**
     * @param store keys relative to the workload's database prefix
     * @param workDirectory the instance's work directory, where {@code init} is looked for
     * @param log one line per step; never a password
     */
    public DatabaseRuntime(String workload, DatabaseSpec spec, MariaDbServer server, ObjectStore store,
                           DatabaseSecrets secrets, Path workDirectory, int generation, Clock clock,
                           Consumer<String> log) {
        this.workload = requireNonNull(workload, "workload is null");
        this.spec = requireNonNull(spec, "spec is null");
        this.server = requireNonNull(server, "server is null");
        this.store = requireNonNull(store, "store is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.workDirectory = requireNonNull(workDirectory, "workDirectory is null");
        this.generation = generation;
        this.clock = requireNonNull(clock, "clock is null");
        this.log = requireNonNull(log, "log is null");
    }

    /** The longest a restored server waits for a live old primary's hand-over (default 3 minutes). */
    public DatabaseRuntime handOverWait(Duration wait) {
        this.handOverWait = requireNonNull(wait, "wait is null");
        return this;
    }

    /** Brings the server up and answers; returns how. */
    public Start start() {
        server.binaries().missing().ifPresent(p -> {
            throw SpotkeeperException.invalidArgument("the database server's program " + p + " is not installed"
                    + " (Debian: apt-get install mariadb-server mariadb-client mariadb-backup)");
        });
        String root = secrets.root();
        Start how;
        if (server.initialized()) {
            server.rootPassword(root);
            server.start(START_TIMEOUT);
            how = Start.RESTARTED;
        } else if (DatabaseRestore.hasBackup(store)) {
            log.accept("database server on " + server.bindAddress() + ":" + server.port() + " restoring from S3;"
                    + " it refuses the application's writes until it has taken over");
            server.startReadOnly(true);
            RestoreReport r = new DatabaseRestore(server, store).restore(root, START_TIMEOUT);
            r.refused().forEach(line -> log.accept("refused " + line));
            if (r.degraded()) {
                log.accept("DEGRADED: restored up to " + r.position() + "; missing " + r.missing().get());
            }
            restore = Optional.of(r);
            int previous = DatabaseBackup.readCatalog(store).bases().stream()
                    .mapToInt(BackupCatalog.Base::generation).max().orElse(generation);
            if (previous < generation) {
                takeOver(previous, r.position());
            }
            // Taken over (or, the old primary lost, serving what S3 holds): from now on this one takes writes.
            server.sql("SET GLOBAL read_only = OFF;");
            server.startReadOnly(false);
            server.markInitialized();
            how = Start.RESTORED;
        } else {
            firstStart(root);
            how = Start.FIRST_START;
        }
        backup = new DatabaseBackup(server, store, generation, clock);
        if (how != Start.RESTARTED || backup.catalog().bases().isEmpty()) {
            // A first start, or a restored server's own history: a base of its own to restore from.
            backup.base();
            lastBase = clock.instant();
        }
        heartbeat();
        log.accept("database " + spec.schema() + " ready on " + server.bindAddress() + ":" + server.port() + " ("
                + how.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")");
        return how;
    }

    private void firstStart(String root) {
        log.accept("first start: installing the data directory");
        server.rootPassword(null);
        server.install();
        server.start(START_TIMEOUT);
        // Statements that hold a password stay out of the binary log: the users travel in the base backups.
        server.sql("SET SESSION sql_log_bin = 0;\nALTER USER 'root'@'localhost' IDENTIFIED BY '" + root + "';\n"
                + "FLUSH PRIVILEGES;");
        server.rootPassword(root);
        String app = secrets.app();
        String s = spec.schema();
        server.sql("SET SESSION sql_log_bin = 0;\nCREATE DATABASE IF NOT EXISTS `" + s + "`;\n"
                + "CREATE USER IF NOT EXISTS '" + s + "'@'%' IDENTIFIED BY '" + app + "';\n"
                + "CREATE USER IF NOT EXISTS '" + s + "'@'localhost' IDENTIFIED BY '" + app + "';\n"
                + "GRANT ALL PRIVILEGES ON `" + s + "`.* TO '" + s + "'@'%';\n"
                + "GRANT ALL PRIVILEGES ON `" + s + "`.* TO '" + s + "'@'localhost';\n");
        if (!spec.init().isEmpty()) {
            Path init = workDirectory.resolve(spec.init()).normalize();
            if (!init.startsWith(workDirectory.normalize()) || !Files.isRegularFile(init)) {
                throw SpotkeeperException.invalidArgument("database.init names " + spec.init() + ", which is not a"
                        + " file in the work directory " + workDirectory + " (put it in buckets.source)");
            }
            log.accept("running " + spec.init() + " once");
            server.sqlFile(init, s);
        }
        server.markInitialized();
    }

    /** One protection step: ships the log, and takes a base backup when one is due. */
    public synchronized void protect() {
        backup.ship();
        heartbeat();
        if (!clock.instant().isBefore(lastBase.plus(spec.backup().base()))) {
            backup.base();
            lastBase = clock.instant();
        }
    }

    /** Ships now (the last log before a hand-over or shutdown). */
    public synchronized void ship() {
        backup.ship();
    }

    /** Says in S3 that this generation's primary is alive, so a replacement knows to wait for its hand-over. */
    private void heartbeat() {
        store.putBytes(heartbeatKey(generation), clock.instant().toString().getBytes(StandardCharsets.UTF_8));
    }

    static String heartbeatKey(int generation) {
        return "primary/g" + generation;
    }

    /**
     * The old primary's hand-over: stops accepting writes ({@code read_only}; the application's sessions are ended,
     * so a transaction not committed by now is rolled back, never acknowledged), ships its last log, and commits
     * the final GTID with each table's rows and checksum at it. Returns the final GTID.
     */
    public synchronized String handOver() {
        Instant began = clock.instant();
        server.sql("SET SESSION lock_wait_timeout = 10;\nSET GLOBAL read_only = ON;");
        for (String id : server.sql("SELECT id FROM information_schema.processlist WHERE user = '"
                + spec.schema() + "'").split("\n")) {
            if (!id.isBlank()) {
                // A session that ended on its own meanwhile is as good as ended here.
                server.killConnection(Long.parseLong(id.strip()));
            }
        }
        backup.ship();
        String last = server.value("SELECT @@GLOBAL.gtid_binlog_pos");
        HandOver h = new HandOver(generation, last, HandOver.tableSums(server, spec.schema()), clock.instant());
        store.putBytes(HandOver.key(generation), h.write().getBytes(StandardCharsets.UTF_8));
        log.accept("handed over at GTID " + last + " in " + Duration.between(began, clock.instant()).toMillis()
                + " ms; writes are refused here from now on");
        return last;
    }

    /**
     * A restored server's take-over from the primary of {@code previous}, when that one is alive (its heartbeat is
     * recent): waits up to {@code wait} for its hand-over, applies what it shipped last, and checks every table's
     * rows and checksum against the values it recorded. Without a hand-over in time (the old one lost), it serves
     * what S3 holds and says which position is the last it has.
     */
    private void takeOver(int previous, String position) {
        Optional<HandOver> h = Optional.empty();
        Instant deadline = clock.instant().plus(handOverWait);
        while (clock.instant().isBefore(deadline)) {
            h = store.getBytes(HandOver.key(previous))
                    .map(b -> HandOver.read(HandOver.key(previous), new String(b, StandardCharsets.UTF_8)));
            if (h.isPresent() || !alive(previous)) {
                break;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (h.isEmpty()) {
            log.accept("no hand-over from generation " + previous + ": serving what S3 holds, up to " + position
                    + "; writes the old primary committed after it are at risk");
            takeOver = Optional.of(new TakeOver(false, position, "no hand-over from generation " + previous));
            return;
        }
        DatabaseRestore.Replayed r = new DatabaseRestore(server, store)
                .replayAfter(DatabaseBackup.readCatalog(store), position);
        server.sql("RESET MASTER;\nSET GLOBAL gtid_binlog_state = '" + r.position() + "';");
        Map<String, String> sums = HandOver.tableSums(server, spec.schema());
        if (!r.position().equals(h.get().finalGtid()) || !sums.equals(h.get().tables())) {
            throw SpotkeeperException.of(dev.spotkeeper.core.ErrorCode.INTERNAL_ERROR, "the take-over does not"
                    + " verify: reached " + r.position() + " of the final " + h.get().finalGtid() + "; tables "
                    + sums + " against the old primary's " + h.get().tables()
                    + r.missing().map(m -> "; missing " + m).orElse(""));
        }
        log.accept("took over at the final GTID " + r.position() + ", every table's rows and checksum verified");
        takeOver = Optional.of(new TakeOver(true, r.position(), "verified"));
    }

    private boolean alive(int previous) {
        return store.getBytes(heartbeatKey(previous)).map(b -> {
            Instant beat = Instant.parse(new String(b, StandardCharsets.UTF_8).strip());
            return clock.instant().isBefore(beat.plus(spec.backup().ship().multipliedBy(5)).plusSeconds(10));
        }).orElse(false);
    }

    /** How a take-over went: {@code verified} when the old primary handed over and every check passed. */
    public record TakeOver(boolean verified, String position, String what) {
    }

    public Optional<TakeOver> takeOverReport() {
        return takeOver;
    }

    public Endpoint endpoint() {
        return new Endpoint(server.bindAddress(), server.port(), spec.schema(), spec.schema(),
                DatabaseSecrets.appName(workload));
    }

    /** The restore this start made, if it restored. */
    public Optional<RestoreReport> restoreReport() {
        return restore;
    }

    public DatabaseBackup backup() {
        return backup;
    }

    public MariaDbServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
