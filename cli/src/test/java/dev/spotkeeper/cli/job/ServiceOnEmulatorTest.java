package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spotkeeper.awsclient.ClientSettings;
import dev.spotkeeper.awsclient.SecretsManagerStore;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A database service end to end on the local emulator, with the real agent and the real MariaDB: the primary comes
 * up with its passwords in the emulator's Secrets Manager, a client's acknowledged rows survive an interruption
 * (the replacement restores from S3 while the old primary serves, the old one hands over, the new one verifies),
 * and the old instance is gone.
 */
class ServiceOnEmulatorTest {
    private static final Pattern READY = Pattern.compile("database appdb ready on 127\\.0\\.0\\.1:(\\d+)");
    private static final String SPEC = """
            name: emu-db
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
              checkpoints: s3://spotkeeper-db/checkpoints
            """;
    private static final Path CLIENT = Path.of("/usr/bin/mariadb");

    private static LocalEmulator emulator;
    private static EmulatorBackend backend;
    private static SecretsManagerStore secrets;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mariadbd")) && Files.isExecutable(CLIENT)
                        && Files.isExecutable(Path.of("/usr/bin/mariadb-backup")),
                "MariaDB is not installed here (Debian: mariadb-server mariadb-client mariadb-backup)");
        emulator = LocalEmulator.builder().port(0).seed(1).bootDelay(Duration.ZERO).services(true).start();
        backend = new EmulatorBackend(emulator);
        secrets = new SecretsManagerStore(new ClientSettings(emulator.endpoint(), EmulatorBackend.REGION,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(emulator.credentials().accessKeyId(),
                        emulator.credentials().secretAccessKey())), 3, null));
    }

    @AfterAll
    static void stop() {
        if (secrets != null) {
            secrets.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void aServiceOnTheEmulator_keepsEveryAcknowledgedRowThroughAnInterruption() throws Exception {
        var spec = YamlSpecs.parse("emu-db.yaml", SPEC);
        backend.prepare(spec);
        Controller controller = Jobs.controller(backend);
        controller.submit(spec);
        controller.start(Duration.ofMillis(200));
        try {
            String first = await("the primary to run").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                    .until(() -> primary().filter(r -> r.state() == InstanceState.RUNNING), Optional::isPresent)
                    .orElseThrow().instanceId();
            int port = port(first);
            String password = secrets.value("spotkeeper/emu-db/app").orElseThrow();
            sql(port, password, "CREATE TABLE appdb.acked (id INT PRIMARY KEY)");
            List<Integer> acknowledged = new ArrayList<>();
            for (int i = 1; i <= 25; i++) {
                sql(port, password, "INSERT INTO appdb.acked VALUES (" + i + ")");
                acknowledged.add(i);
            }

            assertThat(emulator.instances().interrupt(first, Duration.ofSeconds(90))).isTrue();

            String second = await("the replacement to take over").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> primary().filter(r -> !r.instanceId().equals(first)
                            && r.state() == InstanceState.RUNNING), Optional::isPresent).orElseThrow().instanceId();
            await("the old primary to end").atMost(Duration.ofSeconds(120))
                    .until(() -> backend.store().instance(first).orElseThrow().state().isTerminal());
            int next = port(second);
            String rows = sql(next, password, "SELECT GROUP_CONCAT(id ORDER BY id) FROM appdb.acked");

            assertThat(rows).isEqualTo(String.join(",", acknowledged.stream().map(String::valueOf).toList()));
            assertThat(controller.events("emu-db")).anyMatch(e -> e.message().contains("handed over; " + second));
            assertThat(backend.compute().consoleOutput(EmulatorBackend.REGION, second))
                    .contains("took over at the final GTID").doesNotContain(password);
        } finally {
            controller.cancel("emu-db");
            controller.close();
        }
    }

    private static Optional<InstanceRecord> primary() {
        return backend.store().instances("emu-db").stream()
                .filter(r -> !r.state().isTerminal() && r.replacedBy().isEmpty()).reduce((a, b) -> b);
    }

    private static int port(String instanceId) {
        String out = await("the database's port in the console").atMost(Duration.ofSeconds(60))
                .until(() -> backend.compute().consoleOutput(EmulatorBackend.REGION, instanceId),
                        o -> READY.matcher(o).find());
        Matcher m = READY.matcher(out);
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String sql(int port, String password, String statement) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(CLIENT.toString(), "--no-defaults", "--protocol=TCP",
                "--host=127.0.0.1", "--port=" + port, "--user=appdb", "--batch", "--skip-column-names",
                "-e", statement);
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
