package dev.spotkeeper.agent.database;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The machine's MariaDB programs, and a client that connects as a user would: over TCP with a password. */
final class RealMariaDb {
    private RealMariaDb() {
    }

    static MariaDbServer.Binaries binaries() {
        MariaDbServer.Binaries bin = MariaDbServer.Binaries.find(System.getenv());
        assumeTrue(bin.missing().isEmpty(), "MariaDB is not installed here (" + bin.missing().orElse(null)
                + " is missing; Debian: apt-get install mariadb-server mariadb-client mariadb-backup); the database"
                + " runtime tests need the real server");
        return bin;
    }

    /** Runs SQL over TCP as {@code user}; the password goes in the client's environment. */
    static String tcp(Path bin, int port, String user, String password, String sql) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(bin.toString(), "--no-defaults", "--protocol=TCP",
                "--host=127.0.0.1", "--port=" + port, "--user=" + user, "--batch", "--skip-column-names"));
        Map<String, String> env = pb.environment();
        env.put("MYSQL_PWD", password);
        // The statements come from a file, not a pipe: a client that gives up at once (a wrong password) would
        // otherwise close the pipe while it is written, and the test would see "Broken pipe" instead of its error.
        Path in = Files.writeString(Files.createTempFile("sql", ".in"), sql, StandardCharsets.UTF_8);
        Path out = Files.createTempFile("sql", ".out");
        Path err = Files.createTempFile("sql", ".err");
        Process p = pb.redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the client did not finish within 60 s");
        }
        String text = Files.readString(out);
        String error = Files.readString(err);
        Files.delete(in);
        Files.delete(out);
        Files.delete(err);
        if (p.exitValue() != 0) {
            throw new AssertionError("SQL failed: " + error);
        }
        return text.strip();
    }
}
