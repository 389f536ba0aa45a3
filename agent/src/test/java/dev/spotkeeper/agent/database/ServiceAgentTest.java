package dev.spotkeeper.agent.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.agent.ServiceAgent;
import dev.spotkeeper.awsclient.ClientSettings;
import dev.spotkeeper.awsclient.SecretsManagerStore;
import dev.spotkeeper.core.workload.AgentSpec;
import dev.spotkeeper.core.workload.DatabaseSpec;
import dev.spotkeeper.core.workload.ServiceExtension;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.emulator.Emulator;
import dev.spotkeeper.emulator.services.S3Component;
import dev.spotkeeper.emulator.services.ServicesOptions;
import dev.spotkeeper.emulator.services.SqsComponent;
import dev.spotkeeper.emulator.services.secrets.SecretsManagerComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A service's agent against the emulator's S3, SQS and Secrets Manager, with the real MariaDB: the database comes
 * up, {@code started} is reported, the binary log is shipped every {@code backup.ship}, and the last log on stop.
 */
class ServiceAgentTest {
    @TempDir
    Path dir;
    private Emulator emulator;
    private Map<String, String> env;
    private S3Client s3;
    private SqsClient sqs;
    private SecretsManagerStore secrets;

    @BeforeEach
    void start() throws Exception {
        RealMariaDb.binaries();
        ServicesOptions options = ServicesOptions.defaults().withPersistentS3(false);
        emulator = Emulator.start(0, Clock.systemUTC(), 5, 1.0, dir.resolve("emulator"), List.of(
                new S3Component(options), new SqsComponent(options), new SecretsManagerComponent(options)));
        // The emulator checks no signature; the SDK's default chain needs some credentials.
        System.setProperty("aws.accessKeyId", "AKIDSERVICEAGENTTEST");
        System.setProperty("aws.secretAccessKey", "not-checked-by-the-emulator");
        env = Map.of("AWS_ENDPOINT_URL", emulator.endpoint().toString(), "AWS_REGION", "us-east-1");
        s3 = dev.spotkeeper.agent.AgentClients.s3(env);
        s3.createBucket(b -> b.bucket("ops"));
        sqs = dev.spotkeeper.agent.AgentClients.sqs(env);
        secrets = new SecretsManagerStore(ClientSettings.fromEnvironment(env));
    }

    @AfterEach
    void stop() {
        secrets.close();
        sqs.close();
        s3.close();
        emulator.close();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private long shippedSequence() {
        try {
            String text = s3.getObjectAsBytes(b -> b.bucket("ops").key("svc/appdb/db/catalog.json")).asUtf8String();
            return Gtids.sequence(BackupCatalog.read("catalog", text).newestPosition());
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return -1;
        }
    }

    @Test
    void theDatabaseComesUp_startedIsReported_theLogIsShippedEveryPeriod_andTheLastOneOnStop() throws Exception {
        String queue = sqs.createQueue(b -> b.queueName("reports")).queueUrl();
        AgentSpec spec = new AgentSpec("appdb", 1, new WorkloadSpec.Buckets("", "", "s3://ops/svc"),
                new ServiceExtension(new DatabaseSpec(DatabaseSpec.Engine.MARIADB, "10.11", "appdb", "",
                        new DatabaseSpec.Backup(Duration.ofHours(6), Duration.ofSeconds(1)))));
        int port = MariaDbServer.freeLoopbackPort();
        CompletableFuture<Void> stop = new CompletableFuture<>();
        CompletableFuture<Integer> agent = CompletableFuture.supplyAsync(() -> ServiceAgent.run(
                new ServiceAgent.Settings(spec, dir.resolve("instance"), Optional.of(queue), Optional.of("i-0abc"),
                        false, port, "127.0.0.1"), env, Clock.systemUTC(), stop));
        Path client = RealMariaDb.binaries().client();

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> secrets.value(DatabaseSecrets.appName("appdb"))
                        .filter(pw -> logsIn(client, port, pw)).isPresent());
        String password = secrets.value(DatabaseSecrets.appName("appdb")).orElseThrow();
        RealMariaDb.tcp(client, port, "appdb", password, "CREATE TABLE appdb.t (id INT PRIMARY KEY);"
                + "INSERT INTO appdb.t VALUES (1); INSERT INTO appdb.t VALUES (2);");
        long committed = Gtids.sequence(RealMariaDb.tcp(client, port, "appdb", password, "SELECT @@gtid_binlog_pos"));

        await().atMost(Duration.ofSeconds(30)).until(() -> shippedSequence() >= committed);
        RealMariaDb.tcp(client, port, "appdb", password, "INSERT INTO appdb.t VALUES (3);");
        long last = Gtids.sequence(RealMariaDb.tcp(client, port, "appdb", password, "SELECT @@gtid_binlog_pos"));
        stop.complete(null);

        assertThat(agent.get(90, TimeUnit.SECONDS)).isZero();
        assertThat(shippedSequence()).isGreaterThanOrEqualTo(last);
        assertThatThrownBy(() -> RealMariaDb.tcp(client, port, "appdb", password, "SELECT 1"))
                .hasMessageContaining("Can't connect");
        List<String> reports = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(2))
                .messages().stream().map(m -> m.body()).toList();
        assertThat(reports).anyMatch(r -> r.contains("\"started\"") && r.contains("i-0abc"));
        assertThat(String.join("\n", reports)).doesNotContain(password);
        // The bytes it uploaded, reported before it ended: at least what the backup holds now (the catalog and the
        // heartbeat were written more than once), so the controller can bill the transfer.
        long held = s3.listObjectsV2Paginator(b -> b.bucket("ops").prefix("svc/appdb/db/")).contents().stream()
                .mapToLong(o -> o.size()).sum();
        assertThat(reports).filteredOn(r -> r.contains("\"report\":\"shipped\"")).singleElement().satisfies(r -> {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"bytes\":(\\d+),\"sentInAll\":(\\d+)")
                    .matcher(r);
            assertThat(m.find()).as(r).isTrue();
            assertThat(Long.parseLong(m.group(1))).isGreaterThanOrEqualTo(held).isEqualTo(Long.parseLong(m.group(2)));
        });
        assertThat(new String(s3.getObjectAsBytes(b -> b.bucket("ops").key("svc/appdb/db/catalog.json"))
                .asByteArray(), StandardCharsets.UTF_8)).doesNotContain(password);
    }

    private static boolean logsIn(Path client, int port, String password) {
        try {
            return RealMariaDb.tcp(client, port, "appdb", password, "SELECT 1").equals("1");
        } catch (Exception | AssertionError e) {
            return false;
        }
    }
}
