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
import java.util.ArrayList;
import java.util.List;
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
    static final String REPLICATION_USER = "spotkeeper_repl";
    /** What the old primary keeps of its deadline for the hand-over itself (last ship, the replacement's check). */
    private static final Duration HAND_OVER_RESERVE = Duration.ofSeconds(20);

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
    private Optional<String> replicatedTo = Optional.empty();
    /** Why the move this server took part in was abandoned (as the old primary or as the replacement), if it was. */
    private volatile Optional<String> abandoned = Optional.empty();
    private Duration handOverWait = Duration.ofMinutes(3);
    private Optional<Timings> timings = Optional.empty();

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
            long began = System.nanoTime();
            RestoreReport r = new DatabaseRestore(server, store).restore(root, START_TIMEOUT);
            timings = Optional.of(new Timings(seconds(began), -1, -1, -1, -1));
            r.refused().forEach(line -> log.accept("refused " + line));
            if (r.degraded()) {
                log.accept("DEGRADED: restored up to " + r.position() + "; missing " + r.missing().get());
            }
            restore = Optional.of(r);
            int previous = DatabaseBackup.readCatalog(store).bases().stream()
                    .mapToInt(BackupCatalog.Base::generation).max().orElse(generation);
            if (previous < generation) {
                takeOver(previous, r);
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
        replicationUser();
        backup = new DatabaseBackup(server, store, generation, clock);
        if (how != Start.RESTARTED || backup.catalog().bases().isEmpty()) {
            // A first start, or a restored server's own history: a base of its own to restore from.
            backup.base();
            lastBase = clock.instant();
        }
        heartbeat();
        store.putBytes(endpointKey(generation), (advertisedHost() + ":" + server.port())
                .getBytes(StandardCharsets.UTF_8));
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

    /** Where the primary of a generation takes replication connections: {@code host:port}. */
    static String endpointKey(int generation) {
        return "primary/endpoint-g" + generation;
    }

    /** What the replacement of a generation's primary says once restored: ready to take over, or giving up. */
    static String replacementKey(int generation) {
        return "replacement/g" + generation + ".json";
    }

    private String advertisedHost() {
        return server.bindAddress().equals("0.0.0.0") ? "127.0.0.1" : server.bindAddress();
    }

    /**
     * The user a replacement replicates with (only {@code REPLICATION SLAVE}), with a fresh password each start:
     * the one a replica kept while it followed (MariaDB keeps it in {@code master.info} until {@code RESET SLAVE
     * ALL}) is of no use once the replica has taken over. Out of the binary log, as every statement with a password.
     */
    private void replicationUser() {
        String pw = secrets.newReplication();
        server.sql("SET SESSION sql_log_bin = 0;\nCREATE USER IF NOT EXISTS '" + REPLICATION_USER + "'@'%'"
                + " IDENTIFIED BY '" + pw + "';\nALTER USER '" + REPLICATION_USER + "'@'%' IDENTIFIED BY '" + pw
                + "';\nGRANT REPLICATION SLAVE ON *.* TO '" + REPLICATION_USER + "'@'%';");
    }

    /**
     * The old primary's hand-over: stops accepting writes ({@code read_only}; the application's sessions are ended,
     * so a transaction not committed by now is rolled back, never acknowledged), ships its last log, and commits
     * the final GTID with each table's rows and checksum at it. Returns the final GTID.
     */
    public synchronized String handOver() {
        return handOver(clock.instant()).orElseThrow();
    }

    /**
     * The hand-over of an announced move that must be done by {@code deadline}: this primary keeps serving while
     * its replacement restores (and follows it by replication), until the replacement says it is ready (or until
     * the deadline less what the hand-over itself needs), then hands over as {@link #handOver()}. When the
     * replacement gives up (it could not restore nor catch up the data verified), this primary keeps serving and
     * nothing is handed over: empty.
     */
    public Optional<String> handOver(Instant deadline) {
        Instant until = deadline.minus(HAND_OVER_RESERVE);
        Instant asked = clock.instant();
        while (clock.instant().isBefore(until)) {
            Optional<String> said = replacementSays();
            if (said.isPresent() && "abandoned".equals(dev.spotkeeper.core.json.Json.parseObject(said.get())
                    .get("state"))) {
                log.accept("the replacement gave up (" + said.get() + "): this primary keeps serving, nothing"
                        + " handed over");
                Object why = dev.spotkeeper.core.json.Json.parseObject(said.get()).get("why");
                abandoned = Optional.of(why == null ? "the replacement gave up" : why.toString());
                return Optional.empty();
            }
            if (said.isPresent()) {
                log.accept("the replacement is ready after " + Duration.between(asked, clock.instant()).toMillis()
                        + " ms: handing over");
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Optional.of(stopWritesAndHandOver());
    }

    private Optional<String> replacementSays() {
        return store.getBytes(replacementKey(generation)).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    private synchronized String stopWritesAndHandOver() {
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
     * recent): follows it by replication from the restored position where it can (which also fills a range S3
     * could not give), says it is ready, waits up to {@code wait} for its hand-over, then catches up to the final
     * GTID (from the replication, else from what it shipped last) and checks every table's rows and checksum
     * against the values it recorded. Without a hand-over in time (the old one lost), it serves what it holds and
     * says which position is the last it has. When the restore is degraded and the old primary cannot fill the
     * gap, it gives up before the old primary stops taking writes, so that one keeps serving.
     */
    private void takeOver(int previous, RestoreReport restored) {
        long restoredAt = System.nanoTime();
        String position = restored.position();
        Follow follow = alive(previous) ? follow(previous, position) : Follow.UNREACHABLE;
        boolean following = follow == Follow.FOLLOWING;
        // A replication that started and stopped applied what it got: go on from there.
        position = replicatedTo.filter(p -> Gtids.sequence(p) > Gtids.sequence(restored.position()))
                .orElse(position);
        if (restored.degraded() && follow == Follow.REFUSED) {
            // The old primary serves, but its log cannot fill the gap: it must keep serving, and this one never.
            String why = "restored up to " + position + ", missing " + restored.missing().get() + ", and the"
                    + " primary of generation " + previous + " cannot be followed to fill it";
            say(previous, Map.of("generation", generation, "state", "abandoned", "why", why));
            abandoned = Optional.of(why);
            throw SpotkeeperException.of(dev.spotkeeper.core.ErrorCode.INTERNAL_ERROR, "the take-over is abandoned: "
                    + why + "; the old primary keeps serving");
        }
        long caughtUpAt = System.nanoTime();
        double catchUp = (caughtUpAt - restoredAt) / 1e9;
        double restoreSeconds = timings.map(Timings::restoreSeconds).orElse(-1.0);
        say(previous, Map.of("generation", generation, "state", "ready", "position", position, "replicating",
                following));
        Optional<HandOver> h = Optional.empty();
        Instant deadline = clock.instant().plus(handOverWait);
        while (clock.instant().isBefore(deadline)) {
            h = store.getBytes(HandOver.key(previous))
                    .map(b -> HandOver.read(HandOver.key(previous), new String(b, StandardCharsets.UTF_8)));
            if (h.isPresent() || !alive(previous)) {
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long handOverAt = System.nanoTime();
        // The lag at hand-over: the old primary's transactions this one had not applied when its hand-over came.
        long lag = h.isEmpty() ? -1 : Math.max(0, Gtids.sequence(h.get().finalGtid()) - Gtids.sequence(following
                ? server.value("SELECT @@GLOBAL.gtid_slave_pos") : position));
        boolean caughtUp = false;
        if (following && h.isPresent()) {
            String waited = server.value("SELECT MASTER_GTID_WAIT('" + h.get().finalGtid() + "', 30)");
            caughtUp = waited.equals("0");
        }
        if (following) {
            position = stopFollowing(position);
        }
        double waited = (handOverAt - caughtUpAt) / 1e9;
        if (h.isEmpty()) {
            timings = Optional.of(new Timings(restoreSeconds, catchUp, waited, -1, -1));
            log.accept("no hand-over from generation " + previous + ": serving what S3 holds, up to " + position
                    + "; writes the old primary committed after it are at risk");
            takeOver = Optional.of(new TakeOver(false, position, "no hand-over from generation " + previous));
            return;
        }
        String reached = position;
        Optional<String> missing = restored.missing();
        if (!caughtUp) {
            DatabaseRestore.Replayed r = new DatabaseRestore(server, store)
                    .replayAfter(DatabaseBackup.readCatalog(store), position);
            reached = r.position();
            missing = r.missing();
        } else {
            missing = Optional.empty();
        }
        server.sql("RESET MASTER;\nSET GLOBAL gtid_binlog_state = '" + reached + "';");
        Map<String, String> sums = HandOver.tableSums(server, spec.schema());
        if (!reached.equals(h.get().finalGtid()) && Gtids.sequence(reached) != Gtids.sequence(h.get().finalGtid())
                || !sums.equals(h.get().tables())) {
            throw SpotkeeperException.of(dev.spotkeeper.core.ErrorCode.INTERNAL_ERROR, "the take-over does not"
                    + " verify: reached " + reached + " of the final " + h.get().finalGtid() + "; tables "
                    + sums + " against the old primary's " + h.get().tables()
                    + missing.map(m -> "; missing " + m).orElse(""));
        }
        if (restored.degraded()) {
            List<String> refused = new ArrayList<>(restored.refused());
            refused.add("caught up " + restored.missing().get() + " from the live primary of generation " + previous
                    + " by replication");
            restore = Optional.of(new RestoreReport(restored.base(), refused, restored.segments(), reached,
                    Optional.empty()));
        }
        Timings t = new Timings(restoreSeconds, catchUp, waited, lag, seconds(handOverAt));
        timings = Optional.of(t);
        log.accept("took over at the final GTID " + reached + (caughtUp ? " by replication from the old primary" : "")
                + ", every table's rows and checksum verified; " + t);
        // What it serves from: each table's rows and checksum as it opens (what `spotkeeper chaos` shows after a move).
        Map<String, Object> record = new java.util.LinkedHashMap<>();
        record.put("generation", generation);
        record.put("previous", previous);
        record.put("gtid", reached);
        record.put("tables", new java.util.TreeMap<>(sums));
        record.put("time", clock.instant().toString());
        record.put("restoreSeconds", round(t.restoreSeconds()));
        record.put("catchUpSeconds", round(t.catchUpSeconds()));
        record.put("waitedSeconds", round(t.waitedSeconds()));
        record.put("lagTransactions", t.lagTransactions());
        record.put("handOverSeconds", round(t.handOverSeconds()));
        store.putBytes(takeOverKey(generation), dev.spotkeeper.core.json.Json.write(record)
                .getBytes(StandardCharsets.UTF_8));
        takeOver = Optional.of(new TakeOver(true, reached, caughtUp ? "verified, caught up by replication"
                : "verified"));
    }

    /**
     * Follows the primary of {@code previous} from {@code position} ({@code MASTER_USE_GTID=slave_pos}); true once
     * both replication threads run and the replica has applied all it received. False (and nothing left
     * configured) when that primary gives no endpoint or no password, or replication does not start within 20 s
     * (unreachable, or its binary log no longer holds the position).
     */
    private Follow follow(int previous, String position) {
        Optional<String> at = store.getBytes(endpointKey(previous)).map(b -> new String(b, StandardCharsets.UTF_8).strip());
        Optional<String> pw = secrets.replication();
        if (at.isEmpty() || pw.isEmpty() || !at.get().matches("[0-9A-Za-z.:-]+:[0-9]{1,5}")) {
            log.accept("not following generation " + previous + " by replication: it gives no endpoint");
            return Follow.UNREACHABLE;
        }
        String host = at.get().substring(0, at.get().lastIndexOf(':'));
        String port = at.get().substring(at.get().lastIndexOf(':') + 1);
        try (java.net.Socket probe = new java.net.Socket()) {
            probe.connect(new java.net.InetSocketAddress(host, Integer.parseInt(port)), 2000);
        } catch (java.io.IOException e) {
            log.accept("not following generation " + previous + " by replication: " + at.get() + " does not answer ("
                    + e.getMessage() + ")");
            return Follow.UNREACHABLE;
        }
        server.sql("SET GLOBAL gtid_slave_pos = '" + position + "';\nCHANGE MASTER TO MASTER_HOST = '" + host
                + "', MASTER_PORT = " + port + ", MASTER_USER = '" + REPLICATION_USER + "', MASTER_PASSWORD = '"
                + pw.get() + "', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1;\nSTART SLAVE;");
        Instant deadline = clock.instant().plusSeconds(20);
        String problem = "";
        Follow outcome = Follow.UNREACHABLE;
        while (clock.instant().isBefore(deadline)) {
            Map<String, String> st = slaveStatus();
            // Registered with the old primary (which checked that its log holds the position) and all applied.
            if ("Yes".equals(st.get("Slave_IO_Running")) && "Yes".equals(st.get("Slave_SQL_Running"))
                    && st.getOrDefault("Slave_IO_State", "").startsWith("Waiting for master to send event")
                    && st.getOrDefault("Slave_SQL_Running_State", "").startsWith("Slave has read all relay log")) {
                log.accept("following generation " + previous + " at " + at.get() + " by replication from "
                        + position);
                return Follow.FOLLOWING;
            }
            problem = ("IO " + st.get("Slave_IO_Running") + ", SQL " + st.get("Slave_SQL_Running") + ", behind "
                    + st.get("Seconds_Behind_Master") + "; " + st.getOrDefault("Last_IO_Error", "") + " "
                    + st.getOrDefault("Last_SQL_Error", "")).strip();
            if (!st.getOrDefault("Last_IO_Errno", "0").equals("0") && !"Connecting".equals(st.get("Slave_IO_Running"))
                    || !st.getOrDefault("Last_SQL_Errno", "0").equals("0")) {
                // Connected, but refused: its binary log no longer holds the position, or applying failed.
                outcome = Follow.REFUSED;
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stopFollowing(position);
        log.accept("not following generation " + previous + " by replication (" + problem + "): catching"
                + " up from S3");
        return outcome;
    }

    private enum Follow { FOLLOWING, UNREACHABLE, REFUSED }

    /** Ends replication and forgets its configuration; the position the replica reached (at least {@code from}). */
    private String stopFollowing(String from) {
        server.sql("STOP SLAVE;\nRESET SLAVE ALL;");
        String applied = server.value("SELECT @@GLOBAL.gtid_slave_pos");
        String reached = Gtids.sequence(applied) > Gtids.sequence(from) ? applied : from;
        replicatedTo = Optional.of(reached);
        // The replicated transactions are not in this server's own log: its history continues from them.
        server.sql("SET GLOBAL gtid_slave_pos = '';\nRESET MASTER;\nSET GLOBAL gtid_binlog_state = '" + reached
                + "';");
        return reached;
    }

    private Map<String, String> slaveStatus() {
        List<Map<String, String>> rows = server.rows("SHOW SLAVE STATUS");
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    /** Where a replacement records the take-over it verified: {@code takeover/g<its generation>.json}. */
    static String takeOverKey(int generation) {
        return "takeover/g" + generation + ".json";
    }

    private void say(int previous, Map<String, Object> what) {
        store.putBytes(replacementKey(previous), dev.spotkeeper.core.json.Json.write(new java.util.TreeMap<>(what))
                .getBytes(StandardCharsets.UTF_8));
    }

    private boolean alive(int previous) {
        return store.getBytes(heartbeatKey(previous)).map(b -> {
            Instant beat = Instant.parse(new String(b, StandardCharsets.UTF_8).strip());
            return clock.instant().isBefore(beat.plus(spec.backup().ship().multipliedBy(5)).plusSeconds(10));
        }).orElse(false);
    }

    /**
     * How long a restored server's start took, step by step (seconds; -1 for a step it did not take): the restore
     * from S3 (newest base and the shipped logs), the catch-up after it (following the old primary by replication
     * until all it received is applied), the wait for the old primary's hand-over, and from the hand-over record to
     * the take-over verified; {@code lagTransactions} is how many of the old primary's transactions it had not
     * applied when the hand-over came (the final GTID's sequence less the one it had reached).
     */
    public record Timings(double restoreSeconds, double catchUpSeconds, double waitedSeconds, long lagTransactions,
                          double handOverSeconds) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "restore %.1f s, catch-up %.1f s, waited %.1f s for the"
                    + " hand-over, lag at hand-over %d transactions, take-over %.1f s after it", restoreSeconds,
                    catchUpSeconds, waitedSeconds, lagTransactions, handOverSeconds);
        }
    }

    /** The steps of this start when it restored from S3. */
    public Optional<Timings> timings() {
        return timings;
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
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
    /**
     * Why the announced move was abandoned, when it was: on the old primary once its replacement gave up (it serves
     * on), on the replacement once it gave up (its start failed). Empty otherwise.
     */
    public Optional<String> abandoned() {
        return abandoned;
    }

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
