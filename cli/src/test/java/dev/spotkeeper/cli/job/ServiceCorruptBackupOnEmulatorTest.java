package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.awsclient.SecretsManagerStore;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A corrupted newest base backup at service level: its bytes flipped through the S3 API between two moves, the next
 * replacement refuses it (its SHA-256 does not match the catalog), restores the older base and replays more of the
 * shipped logs, takes over with every acknowledged row, and the workload's events name the base it passed over.
 */
class ServiceCorruptBackupOnEmulatorTest {
    private static final String NAME = "emu-dbc";
    private static final String BUCKET = "spotkeeper-dbc";
    private static final String SPEC = ServiceRig.spec(NAME, "spotkeeper-dbc");

    private static LocalEmulator emulator;
    private static EmulatorBackend backend;
    private static SecretsManagerStore secrets;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        ServiceRig.assumeMariaDb();
        emulator = ServiceRig.emulator(7);
        backend = new EmulatorBackend(emulator);
        var credentials = ServiceRig.credentials(emulator);
        secrets = ServiceRig.secrets(emulator);
        s3 = S3Client.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (secrets != null) {
            secrets.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void aCorruptedNewestBase_isRefused_andTheReplacementRestoresTheOlderOnePlusMoreLogs() throws Exception {
        var spec = YamlSpecs.parse(NAME + ".yaml", SPEC);
        backend.prepare(spec);
        Controller controller = Jobs.controller(backend);
        controller.submit(spec);
        controller.start(Duration.ofMillis(200));
        try {
            String first = await("the primary to run").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                    .until(() -> primary().filter(r -> r.state() == InstanceState.RUNNING), Optional::isPresent)
                    .orElseThrow().instanceId();
            String password = secrets.value("spotkeeper/" + NAME + "/app").orElseThrow();
            sql(port(first), password, "CREATE TABLE appdb.acked (id INT PRIMARY KEY)");
            List<Integer> acknowledged = new ArrayList<>();
            insert(port(first), password, acknowledged, 1, 10);
            String second = move(first);
            insert(port(second), password, acknowledged, 11, 20);

            List<S3Object> bases = s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
                    .filter(o -> o.key().contains("/base/")).sorted((a, b) -> a.key().compareTo(b.key())).toList();
            assertThat(bases).as("the first primary's base and the replacement's own").hasSize(2);
            String newest = bases.stream().filter(o -> o.key().contains("-g2-")).findFirst().orElseThrow().key();
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(newest)).asByteArray();
            for (int i = bytes.length / 2; i < bytes.length / 2 + 64; i++) {
                bytes[i] ^= (byte) 0x5a;
            }
            s3.putObject(b -> b.bucket(BUCKET).key(newest), RequestBody.fromBytes(bytes));

            String third = move(second);
            String rows = sql(port(third), password, "SELECT GROUP_CONCAT(id ORDER BY id) FROM appdb.acked");

            assertThat(rows).isEqualTo(String.join(",", acknowledged.stream().map(String::valueOf).toList()));
            String baseId = newest.substring(newest.lastIndexOf('/') + 1);
            assertThat(controller.events(NAME)).as("the events name the base passed over")
                    .anyMatch(e -> e.instanceId().equals(third) && e.message().contains("skipped base")
                            && e.message().contains(baseId) && e.message().contains("SHA-256 does not match"));
            assertThat(backend.compute().consoleOutput(EmulatorBackend.REGION, third))
                    .contains("refused base").contains("took over at the final GTID");
        } finally {
            controller.cancel(NAME);
            controller.close();
        }
    }

    /** Interrupts the primary; returns its replacement once it is the primary and the old one has ended. */
    private static String move(String old) {
        assertThat(emulator.instances().interrupt(old, Duration.ofSeconds(90))).isTrue();
        String next = await("the replacement of " + old + " to take over").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> primary().filter(r -> !r.instanceId().equals(old) && r.state() == InstanceState.RUNNING),
                        Optional::isPresent).orElseThrow().instanceId();
        await("the old primary to end").atMost(Duration.ofSeconds(60))
                .until(() -> backend.store().instance(old).orElseThrow().state().isTerminal());
        return next;
    }

    private static void insert(int port, String password, List<Integer> acknowledged, int from, int to)
            throws Exception {
        for (int i = from; i <= to; i++) {
            sql(port, password, "INSERT INTO appdb.acked VALUES (" + i + ")");
            acknowledged.add(i);
        }
    }

    private static Optional<InstanceRecord> primary() {
        return ServiceRig.primary(backend, NAME);
    }

    private static int port(String instanceId) {
        return ServiceRig.readyPort(backend, instanceId);
    }

    private static String sql(int port, String password, String statement) throws Exception {
        return ServiceRig.sql("127.0.0.1", port, password, statement);
    }
}
