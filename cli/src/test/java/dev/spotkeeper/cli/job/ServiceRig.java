package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spotkeeper.awsclient.ClientSettings;
import dev.spotkeeper.awsclient.SecretsManagerStore;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.testkit.database.ServiceOnEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the tests of a database service on the emulator share: the real MariaDB they need, the emulator with its
 * services, the workload file, the primary as the store sees it, the port its agent logged, and a client; and, for
 * a test that runs one service on its own emulator ({@link OnEmulator}), the S3 client, a move and the inserts.
 */
final class ServiceRig {
    static final Path CLIENT = ServiceOnEmulator.CLIENT;
    /** What the agent logs once the server answers, with the port it listens on. */
    static final Pattern READY = ServiceOnEmulator.READY;

    private ServiceRig() {
    }

    /** A MariaDB service named {@code name}, its checkpoints in {@code bucket}, shipping its log every second. */
    static String spec(String name, String bucket) {
        return ServiceOnEmulator.spec(name, bucket);
    }

    static void assumeMariaDb() {
        assumeTrue(ServiceOnEmulator.mariaDbInstalled(), "MariaDB is not installed here (Debian: mariadb-server mariadb-client mariadb-backup)");
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
        return ServiceOnEmulator.primary(backend.store(), name);
    }

    /** The port the instance's database answers on, from its console once the agent logged it. */
    static int readyPort(EmulatorBackend backend, String instanceId) {
        return await("the database's port in the console").atMost(Duration.ofSeconds(60))
                .until(() -> ServiceOnEmulator.readyPort(backend.compute().consoleOutput(EmulatorBackend.REGION,
                        instanceId)), OptionalInt::isPresent).getAsInt();
    }

    /** One statement as the application user; its output, or an AssertionError with the client's. */
    static String sql(String host, int port, String password, String statement) throws Exception {
        ServiceOnEmulator.Result r = ServiceOnEmulator.run(host, port, password, statement, Duration.ofSeconds(5),
                Duration.ofSeconds(60));
        assertThat(r.exit()).as("the client ended in time").isNotEqualTo(-1);
        if (r.exit() != 0) {
            throw new AssertionError("SQL failed: " + r.out());
        }
        return r.out();
    }

    /** The emulator's S3, through the API a user would use to look at (or damage) the backup. */
    static S3Client s3(LocalEmulator emulator) {
        return S3Client.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(credentials(emulator)).httpClient(UrlConnectionHttpClient.create()).build();
    }

    /**
     * One service {@code name} (checkpoints in {@code bucket}) on an emulator of its own, with the clients a test
     * needs: the backend, Secrets Manager and S3.
     */
    static final class OnEmulator implements AutoCloseable {
        final String name;
        final String bucket;
        final LocalEmulator emulator;
        final EmulatorBackend backend;
        final SecretsManagerStore secrets;
        final S3Client s3;
        private String password;

        private OnEmulator(String name, String bucket, long seed) throws Exception {
            this.name = name;
            this.bucket = bucket;
            this.emulator = emulator(seed);
            this.backend = new EmulatorBackend(emulator);
            this.secrets = secrets(emulator);
            this.s3 = s3(emulator);
        }

        static OnEmulator start(String name, String bucket, long seed) throws Exception {
            assumeMariaDb();
            return new OnEmulator(name, bucket, seed);
        }

        String spec() {
            return ServiceRig.spec(name, bucket);
        }

        /** The first primary, once it runs. */
        String firstPrimary() {
            return await("the primary to run").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                    .until(() -> primary().filter(r -> r.state() == InstanceState.RUNNING), Optional::isPresent)
                    .orElseThrow().instanceId();
        }

        /** The application user's password, from the emulator's Secrets Manager. */
        String password() {
            if (password == null) {
                // Stored at the database's first start, which may follow the agent's report that it runs.
                password = await("the application's secret").atMost(Duration.ofSeconds(180))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> secrets.value("spotkeeper/" + name + "/app"), Optional::isPresent).orElseThrow();
            }
            return password;
        }

        Optional<InstanceRecord> primary() {
            return ServiceRig.primary(backend, name);
        }

        int port(String instanceId) {
            return readyPort(backend, instanceId);
        }

        String sql(String instanceId, String statement) throws Exception {
            return ServiceRig.sql("127.0.0.1", port(instanceId), password(), statement);
        }

        /** Inserts ids {@code from..to} into {@code appdb.acked}, one statement each, recording each acknowledged. */
        void insert(String instanceId, List<Integer> acknowledged, int from, int to) throws Exception {
            for (int i = from; i <= to; i++) {
                sql(instanceId, "INSERT INTO appdb.acked VALUES (" + i + ")");
                acknowledged.add(i);
            }
        }

        /** Interrupts the primary; returns its replacement once it is the primary and the old one has ended. */
        String move(String old) {
            assertThat(emulator.instances().interrupt(old, Duration.ofSeconds(90))).isTrue();
            String next = await("the replacement of " + old + " to take over").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> primary().filter(r -> !r.instanceId().equals(old)
                            && r.state() == InstanceState.RUNNING), Optional::isPresent).orElseThrow().instanceId();
            await("the old primary to end").atMost(Duration.ofSeconds(60))
                    .until(() -> backend.store().instance(old).orElseThrow().state().isTerminal());
            return next;
        }

        /** The bucket's objects whose key contains {@code part}, by key. */
        List<S3Object> objects(String part) {
            return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                    .filter(o -> o.key().contains(part)).sorted((a, b) -> a.key().compareTo(b.key())).toList();
        }

        /** Flips 64 bytes in the middle of the object, through the S3 API. */
        void corrupt(String key) {
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
            for (int i = bytes.length / 2; i < Math.min(bytes.length, bytes.length / 2 + 64); i++) {
                bytes[i] ^= (byte) 0x5a;
            }
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
        }

        @Override
        public void close() {
            s3.close();
            secrets.close();
            backend.close();
        }
    }
}
