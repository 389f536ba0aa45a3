package dev.spotkeeper.testkit.database;

import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the tests of a database service on the emulator (cli) and the B5 benchmark (bench) share, JDK and core
 * only: the Debian MariaDB they need, the workload file, the primary as the store sees it, the port its agent
 * logged, and the {@code mariadb} client run as the application user.
 */
public final class ServiceOnEmulator {
    /** The command-line client the statements go through. */
    public static final Path CLIENT = Path.of("/usr/bin/mariadb");
    /** What the agent logs once the server answers, with the port it listens on. */
    public static final Pattern READY = Pattern.compile("database appdb ready on 127\\.0\\.0\\.1:(\\d+)");

    private ServiceOnEmulator() {
    }

    /** Whether the server, the client and the backup tool are installed (Debian: the three packages). */
    public static boolean mariaDbInstalled() {
        return Files.isExecutable(Path.of("/usr/sbin/mariadbd")) && Files.isExecutable(CLIENT)
                && Files.isExecutable(Path.of("/usr/bin/mariadb-backup"));
    }

    /** A MariaDB service named {@code name}, schema {@code appdb}, its checkpoints in {@code bucket}, shipping every second. */
    public static String spec(String name, String bucket) {
        return """
                name: %s
                kind: service
                requirements:
                  regions: [us-east-1]
                  types: [m5.large, c5.large, m5.xlarge]
                placement:
                  strategy: lowest-price
                database:
                  engine: mariadb
                  schema: appdb
                  backup: {base: 6h, ship: 1s}
                buckets:
                  checkpoints: s3://%s/checkpoints
                """.formatted(name, bucket);
    }

    /** The service's newest live instance that replaces none: its primary, or the one becoming it. */
    public static Optional<InstanceRecord> primary(StateStore store, String name) {
        return store.instances(name).stream()
                .filter(r -> !r.state().isTerminal() && r.replacedBy().isEmpty()).reduce((a, b) -> b);
    }

    /** The port in an instance's console output once its agent logged the database ready. */
    public static OptionalInt readyPort(String console) {
        Matcher m = READY.matcher(console);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** What the client said: its exit code ({@code -1} when it did not end in time) and its output. */
    public record Result(int exit, String out) {
    }

    /**
     * One statement as the application user {@code appdb} over TCP, the password in the client's environment (never
     * on its command line).
     */
    public static Result run(String host, int port, String password, String statement, Duration connectTimeout,
                             Duration timeout) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(CLIENT.toString(), "--no-defaults", "--protocol=TCP",
                "--host=" + host, "--port=" + port, "--user=appdb", "--batch", "--skip-column-names",
                "--connect-timeout=" + connectTimeout.toSeconds(), "-e", statement);
        pb.environment().put("MYSQL_PWD", password);
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return new Result(-1, "interrupted");
        }
        return new Result(p.exitValue(), out);
    }
}
