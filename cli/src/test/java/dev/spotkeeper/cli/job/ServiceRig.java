package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spotkeeper.awsclient.ClientSettings;
import dev.spotkeeper.awsclient.SecretsManagerStore;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.emulator.LocalEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What the tests of a database service on the emulator share: the real MariaDB they need, the emulator with its
 * services, the workload file, the primary as the store sees it, the port its agent logged, and a client.
 */
final class ServiceRig {
    static final Path CLIENT = Path.of("/usr/bin/mariadb");
    /** What the agent logs once the server answers, with the port it listens on. */
    static final Pattern READY = Pattern.compile("database appdb ready on 127\\.0\\.0\\.1:(\\d+)");

    private ServiceRig() {
    }

    /** A MariaDB service named {@code name}, its checkpoints in {@code bucket}, shipping its log every second. */
    static String spec(String name, String bucket) {
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

    static void assumeMariaDb() {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mariadbd")) && Files.isExecutable(CLIENT)
                        && Files.isExecutable(Path.of("/usr/bin/mariadb-backup")),
                "MariaDB is not installed here (Debian: mariadb-server mariadb-client mariadb-backup)");
    }

    /** The emulator with its services, instances booting at once. */
    static LocalEmulator emulator(long seed) throws Exception {
        return LocalEmulator.builder().port(0).seed(seed).bootDelay(Duration.ZERO).services(true).start();
    }

    static StaticCredentialsProvider credentials(LocalEmulator emulator) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(emulator.credentials().accessKeyId(),
                emulator.credentials().secretAccessKey()));
    }

    /** The emulator's Secrets Manager, where the agent keeps the service's passwords. */
    static SecretsManagerStore secrets(LocalEmulator emulator) {
        return new SecretsManagerStore(new ClientSettings(emulator.endpoint(), EmulatorBackend.REGION,
                credentials(emulator), 3, null));
    }

    /** The service's newest live instance that replaces none: its primary, or the one becoming it. */
    static Optional<InstanceRecord> primary(EmulatorBackend backend, String name) {
        return backend.store().instances(name).stream()
                .filter(r -> !r.state().isTerminal() && r.replacedBy().isEmpty()).reduce((a, b) -> b);
    }

    /** The port the instance's database answers on, from its console once the agent logged it. */
    static int readyPort(EmulatorBackend backend, String instanceId) {
        String out = await("the database's port in the console").atMost(Duration.ofSeconds(60))
                .until(() -> backend.compute().consoleOutput(EmulatorBackend.REGION, instanceId),
                        o -> READY.matcher(o).find());
        Matcher m = READY.matcher(out);
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** One statement as the application user; its output, or an AssertionError with the client's. */
    static String sql(String host, int port, String password, String statement) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(CLIENT.toString(), "--no-defaults", "--protocol=TCP",
                "--host=" + host, "--port=" + port, "--user=appdb", "--batch", "--skip-column-names",
                "--connect-timeout=5", "-e", statement);
        pb.environment().put("MYSQL_PWD", password);
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        if (p.exitValue() != 0) {
            throw new AssertionError("SQL failed: " + out);
        }
        return out;
    }
}
