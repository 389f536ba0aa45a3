package dev.spotkeeper.agent.database;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.SpotkeeperException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One MariaDB server of the instance, with its own data directory, binary-log directory, socket and port below the
 * instance's work directory: binary log on ({@code ROW}, GTID strict mode), bound to one address (127.0.0.1 unless
 * told), started with {@code --no-defaults} so no system configuration changes it. The root password is given to
 * the client programs in their environment ({@code MYSQL_PWD}), never on a command line or in a file, and SQL
 * reaches the client on its standard input.
 */
public final class MariaDbServer implements AutoCloseable {
    /** The distribution's programs: {@code mariadbd} and its tools. */
    public record Binaries(Path server, Path installDb, Path client, Path backup, Path binlog, Path mbstream) {
        /** Debian's places, else the first on {@code PATH}. */
        public static Binaries find(Map<String, String> env) {
            return new Binaries(locate(env, "/usr/sbin/mariadbd", "mariadbd"),
                    locate(env, "/usr/bin/mariadb-install-db", "mariadb-install-db"),
                    locate(env, "/usr/bin/mariadb", "mariadb"),
                    locate(env, "/usr/bin/mariadb-backup", "mariadb-backup"),
                    locate(env, "/usr/bin/mariadb-binlog", "mariadb-binlog"),
                    locate(env, "/usr/bin/mbstream", "mbstream"));
        }

        private static Path locate(Map<String, String> env, String usual, String name) {
            Path p = Path.of(usual);
            if (Files.isExecutable(p)) {
                return p;
            }
            for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name);
                }
            }
            return p;
        }

        /** The first program that is not there, if any. */
        public Optional<Path> missing() {
            for (Path p : List.of(server, installDb, client, backup, binlog, mbstream)) {
                if (!Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }
    }

    /** Where the server keeps everything, below one directory. */
    public record Layout(Path root) {
        public Layout {
            requireNonNull(root, "root is null");
        }

        public Path data() {
            return root.resolve("data");
        }

        public Path binlogs() {
            return root.resolve("binlog");
        }

        /** The binary log's base name: files are {@code binlog.000001}, … */
        public Path binlogBase() {
            return binlogs().resolve("binlog");
        }

        /** A Unix socket path must stay under about 100 bytes; a deeper directory gets one in the system's temp. */
        public Path socket() {
            Path s = root.resolve("mysqld.sock");
            if (s.toString().getBytes(StandardCharsets.UTF_8).length < 100) {
                return s;
            }
            return Path.of(System.getProperty("java.io.tmpdir"),
                    "spotkeeper-" + Integer.toHexString(root.toAbsolutePath().toString().hashCode()) + ".sock");
        }

        public Path pidFile() {
            return root.resolve("mysqld.pid");
        }

        public Path errorLog() {
            return root.resolve("error.log");
        }

        public Path tmp() {
            return root.resolve("tmp");
        }

        /** Written when the first start finished (install, users, schema, init), so a half-done one is redone. */
        public Path initialized() {
            return root.resolve("initialized");
        }
    }

    /**
     * The largest statement the server and the replaying client take (the most MariaDB allows): the binary log of a
     * transaction that wrote a million rows replays as one statement of about 40 MB.
     */
    static final String MAX_PACKET = "1073741824";

    private final Binaries bin;
    private final Layout layout;
    private final String bindAddress;
    private boolean startReadOnly;
    private final int port;
    private final int serverId;
    private volatile String rootPassword;
    private Process process;

    /**
     * @param serverId distinct for each server that writes the same binary-log history (the instance's
     *     generation), so GTIDs say which server committed them
     */
    public MariaDbServer(Binaries bin, Layout layout, String bindAddress, int port, int serverId) {
        this.bin = requireNonNull(bin, "bin is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.bindAddress = requireNonNull(bindAddress, "bindAddress is null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, was " + port);
        }
        if (serverId < 1) {
            throw new IllegalArgumentException("serverId must be 1 or more, was " + serverId);
        }
        this.port = port;
        this.serverId = serverId;
    }

    /** A free TCP port on the loopback address, for a server of its own per emulated instance. */
    public static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    public Binaries binaries() {
        return bin;
    }

    public Layout layout() {
        return layout;
    }

    public int port() {
        return port;
    }

    public String bindAddress() {
        return bindAddress;
    }

    /** The password the client programs use from now on (null: none, as right after install). */
    void rootPassword(String password) {
        this.rootPassword = password;
    }

    /** True when a first start finished here before. */
    public boolean initialized() {
        return Files.exists(layout.initialized()) && Files.isDirectory(layout.data());
    }

    /** A fresh data directory from {@code mariadb-install-db} (root with no password until it is set). */
    public void install() {
        wipe();
        createDirectories();
        run("mariadb-install-db", List.of(bin.installDb().toString(), "--no-defaults",
                "--datadir=" + layout.data(), "--auth-root-authentication-method=normal", "--skip-test-db",
                "--user=" + osUser()), null, Duration.ofMinutes(2));
    }

    /** Removes the data, the binary logs and the markers, as before any first start. */
    void wipe() {
        deleteTree(layout.data());
        deleteTree(layout.binlogs());
        try {
            Files.deleteIfExists(layout.initialized());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void createDirectories() {
        try {
            Files.createDirectories(layout.data());
            Files.createDirectories(layout.binlogs());
            Files.createDirectories(layout.tmp());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database's directories under " + layout.root(), e);
        }
    }

    void markInitialized() {
        try {
            Files.writeString(layout.initialized(), "first start finished\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * From the next {@link #start}: the server starts {@code read_only}, so only root (over the socket) writes, as a
     * restoring replacement must until it has taken over; {@code SET GLOBAL read_only = OFF} opens it.
     */
    void startReadOnly(boolean readOnly) {
        this.startReadOnly = readOnly;
    }

    /** Starts {@code mariadbd} and waits until it answers, or fails saying why (its error log's last lines). */
    public void start(Duration timeout) {
        if (process != null && process.isAlive()) {
            return;
        }
        createDirectories();
        List<String> cmd = List.of(bin.server().toString(), "--no-defaults", "--datadir=" + layout.data(),
                "--socket=" + layout.socket(), "--port=" + port, "--bind-address=" + bindAddress,
                "--pid-file=" + layout.pidFile(), "--log-error=" + layout.errorLog(), "--tmpdir=" + layout.tmp(),
                "--log-bin=" + layout.binlogBase(), "--binlog-format=ROW", "--server-id=" + serverId,
                "--gtid-strict-mode=ON", "--innodb-buffer-pool-size=64M", "--max-allowed-packet=" + MAX_PACKET,
                "--skip-name-resolve", "--user=" + osUser());
        if (startReadOnly) {
            cmd = new ArrayList<>(cmd);
            cmd.add("--read-only");
        }
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.root().resolve("mariadbd.out").toFile()))
                    .start();
        } catch (IOException e) {
            throw SpotkeeperException.invalidArgument("cannot start " + bin.server() + ": " + e.getMessage());
        }
        awaitReady(timeout);
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw SpotkeeperException.of(dev.spotkeeper.core.ErrorCode.INTERNAL_ERROR, "mariadbd exited with "
                        + process.exitValue() + " before it answered; its log ends: " + logTail());
            }
            Result r = client(List.of("-e", "SELECT 1"), null, Duration.ofSeconds(10));
            if (r.exitCode == 0) {
                return;
            }
            last = r.err.strip();
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for mariadbd", e);
            }
        }
        throw SpotkeeperException.of(dev.spotkeeper.core.ErrorCode.UNAVAILABLE, "mariadbd did not answer within "
                + timeout.toSeconds() + " s (" + last + "); its log ends: " + logTail());
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** Runs SQL as root and returns what it printed, tab-separated, without column names. */
    public String sql(String statements) {
        Result r = client(List.of(), statements, Duration.ofMinutes(10));
        if (r.exitCode != 0) {
            throw SpotkeeperException.of(dev.spotkeeper.core.ErrorCode.INTERNAL_ERROR, "SQL failed on the database: "
                    + r.err.strip());
        }
        return r.out;
    }

    /**
     * Ends a session of the server; false when it had ended already (a client that hung up between the moment its
     * session was listed and this call: error 1094, unknown thread id), which is no failure.
     */
    public boolean killConnection(long id) {
        Result r = client(List.of(), "KILL CONNECTION " + id + ";", Duration.ofMinutes(1));
        if (r.exitCode == 0) {
            return true;
        }
        if (r.err.contains("ERROR 1094")) {
            return false;
        }
        throw SpotkeeperException.of(dev.spotkeeper.core.ErrorCode.INTERNAL_ERROR, "SQL failed on the database: "
                + r.err.strip());
    }

    /** Runs a SQL file as root in {@code database}. */
    void sqlFile(Path file, String database) {
        Result r;
        try (InputStream in = Files.newInputStream(file)) {
            r = clientFrom(List.of("--database=" + database), in, Duration.ofMinutes(30));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (r.exitCode != 0) {
            throw SpotkeeperException.invalidArgument("database.init " + file.getFileName() + " failed: "
                    + r.err.strip());
        }
    }

    /** A query's rows, each by column name (as the client prints them in batch mode). */
    List<Map<String, String>> rows(String query) {
        Result r = client(List.of("--column-names"), query, Duration.ofMinutes(1));
        if (r.exitCode != 0) {
            throw SpotkeeperException.of(dev.spotkeeper.core.ErrorCode.INTERNAL_ERROR, "SQL failed on the database: "
                    + r.err.strip());
        }
        List<String> lines = r.out.lines().toList();
        List<Map<String, String>> out = new ArrayList<>();
        if (lines.isEmpty()) {
            return out;
        }
        String[] names = lines.get(0).split("\t", -1);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t", -1);
            Map<String, String> row = new java.util.LinkedHashMap<>();
            for (int i = 0; i < names.length && i < cells.length; i++) {
                row.put(names[i], cells[i]);
            }
            out.add(row);
        }
        return out;
    }

    /** The value of one query's single cell. */
    public String value(String query) {
        return sql(query).strip();
    }

    /** Applies the binary-log files from after {@code startGtid} (mariadb-binlog piped into the client). */
    void replay(List<Path> files, String startGtid) {
        List<String> cmd = new ArrayList<>(List.of(bin.binlog().toString(), "--no-defaults"));
        if (!startGtid.isEmpty()) {
            cmd.add("--start-position=" + startGtid);
        }
        files.forEach(f -> cmd.add(f.toString()));
        Process decoder;
        try {
            decoder = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(
                    layout.root().resolve("replay.err").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + bin.binlog(), e);
        }
        // A large transaction is one BINLOG statement of its row events: past 16 MB the default packet refuses it.
        Result r = clientFrom(List.of("--max-allowed-packet=" + MAX_PACKET), decoder.getInputStream(),
                Duration.ofMinutes(30));
        int decoded = waitFor(decoder, Duration.ofMinutes(1));
        if (decoded != 0 || r.exitCode != 0) {
            throw SpotkeeperException.of(dev.spotkeeper.core.ErrorCode.INTERNAL_ERROR, "replaying the binary log"
                    + " failed (mariadb-binlog exit " + decoded + "): " + r.err.strip());
        }
    }

    /** Stops the server (SIGTERM: a clean shutdown), at the deadline forcibly. */
    public void stop(Duration timeout) {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Kills the server at once, as a lost instance would. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(process, Duration.ofSeconds(10));
            process = null;
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    /** The environment of a client program: the root password, when set, and no user configuration. */
    Map<String, String> clientEnvironment(Map<String, String> env) {
        env.remove("MYSQL_PWD");
        env.remove("MYSQL_HOST");
        env.remove("MYSQL_TCP_PORT");
        if (rootPassword != null) {
            env.put("MYSQL_PWD", rootPassword);
        }
        return env;
    }

    record Result(int exitCode, String out, String err) {
    }

    private Result client(List<String> args, String stdin, Duration timeout) {
        return clientFrom(args, stdin == null ? InputStream.nullInputStream()
                : new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), timeout);
    }

    private Result clientFrom(List<String> args, InputStream stdin, Duration timeout) {
        List<String> cmd = new ArrayList<>(List.of(bin.client().toString(), "--no-defaults",
                "--socket=" + layout.socket(), "--user=root", "--batch", "--skip-column-names"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        clientEnvironment(pb.environment());
        return run(pb, stdin, timeout);
    }

    /** Runs a program, feeding {@code stdin}, and returns its exit code and output. */
    Result run(ProcessBuilder pb, InputStream stdin, Duration timeout) {
        try {
            Path out = Files.createTempFile(tmpDir(), "out", ".txt");
            Path err = Files.createTempFile(tmpDir(), "err", ".txt");
            try {
                Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                try (OutputStream in = p.getOutputStream()) {
                    if (stdin != null) {
                        stdin.transferTo(in);
                    }
                } catch (IOException e) {
                    // The program ended before reading all of it; its exit code says why.
                }
                int code = waitFor(p, timeout);
                return new Result(code, Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + pb.command().get(0), e);
        }
    }

    private void run(String what, List<String> cmd, InputStream stdin, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        clientEnvironment(pb.environment());
        Result r = run(pb, stdin, timeout);
        if (r.exitCode != 0) {
            String text = (r.err + r.out).strip();
            throw SpotkeeperException.of(dev.spotkeeper.core.ErrorCode.INTERNAL_ERROR, what + " failed (exit "
                    + r.exitCode + "): " + text.substring(Math.max(0, text.length() - 600)));
        }
    }

    /** Runs one of the tools (mariadb-backup, mbstream) with the root password in its environment. */
    Result tool(List<String> cmd, InputStream stdin, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        clientEnvironment(pb.environment());
        return run(pb, stdin, timeout);
    }

    /** A tool's process with its standard output to read (a backup stream). */
    Process toolProcess(List<String> cmd, Path errors) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(errors.toFile());
        clientEnvironment(pb.environment());
        return pb.start();
    }

    private Path tmpDir() throws IOException {
        Path t = layout.root().resolve("tmp");
        Files.createDirectories(t);
        return t;
    }

    static int waitFor(Process p, Duration timeout) {
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw SpotkeeperException.of(dev.spotkeeper.core.ErrorCode.UNAVAILABLE, p.info().command().orElse("a"
                        + " database program") + " did not finish within " + timeout.toSeconds() + " s");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted", e);
        }
    }

    String logTail() {
        try {
            if (!Files.exists(layout.errorLog())) {
                return "(no error log)";
            }
            List<String> lines = Files.readAllLines(layout.errorLog());
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(unreadable error log: " + e.getMessage() + ")";
        }
    }

    static String osUser() {
        return System.getProperty("user.name");
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
