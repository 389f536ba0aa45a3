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
 * A corrupted binary-log segment at service level, with the old primary alive: the shipped segments holding the
 * table and the first rows have their bytes flipped through the S3 API before a move; the replacement refuses them
 * (the restore is degraded), catches the missing range up from the live old primary by replication, takes over
 * verified with every acknowledged row, and the workload's events name the refused segment.
 */
class ServiceCorruptSegmentOnEmulatorTest {
    private static final String NAME = "emu-dbs";
    private static final String BUCKET = "spotkeeper-dbs";
    private static final String SPEC = ServiceRig.spec(NAME, "spotkeeper-dbs");

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
    void aCorruptedSegment_withTheOldPrimaryAlive_isCaughtUpFromItByReplication_andEveryAcknowledgedRowIsThere() throws Exception {
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
            // Every segment shipped so far (the table and rows 1-10), once they are in S3.
            List<S3Object> segments = await("rows 1-10 shipped").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
                            .filter(o -> o.key().contains("/binlog/")).toList(), l -> l.size() >= 1);
            for (S3Object o : segments) {
                byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(o.key())).asByteArray();
                for (int i = bytes.length / 2; i < Math.min(bytes.length, bytes.length / 2 + 64); i++) {
                    bytes[i] ^= (byte) 0x5a;
                }
                s3.putObject(b -> b.bucket(BUCKET).key(o.key()), RequestBody.fromBytes(bytes));
            }
            insert(port(first), password, acknowledged, 11, 20);

            String second = move(first);
            insert(port(second), password, acknowledged, 21, 25);
            String rows = sql(port(second), password, "SELECT GROUP_CONCAT(id ORDER BY id) FROM appdb.acked");

            assertThat(rows).isEqualTo(String.join(",", acknowledged.stream().map(String::valueOf).toList()));
            String segmentId = segments.get(0).key().substring(segments.get(0).key().lastIndexOf('/') + 1);
            assertThat(controller.events(NAME)).as("the events name the refused segment")
                    .anyMatch(e -> e.instanceId().equals(second) && e.message().contains(segmentId)
                            && e.message().contains("SHA-256 does not match"));
            assertThat(backend.compute().consoleOutput(EmulatorBackend.REGION, second))
                    .contains("DEGRADED: restored up to").contains("following generation 1")
                    .contains("took over at the final GTID").contains("by replication from the old primary");
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
