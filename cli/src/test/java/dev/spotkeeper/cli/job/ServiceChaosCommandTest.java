package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.cli.CliRun;
import dev.spotkeeper.testkit.database.ServiceOnEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spotkeeper chaos} on a database service, end to end on the local control plane as an operator rehearses
 * it: one interruption through the FIS API, and its line carries the service's own figures — the seconds writes
 * were refused during the hand-over and the rows before and after it, read from the old primary's hand-over and the
 * replacement's take-over records in S3.
 */
class ServiceChaosCommandTest {
    @TempDir
    Path dir;

    private PlaneHome plane;

    @BeforeEach
    void home() {
        Assumptions.assumeTrue(JobBackends.isLocal(new DeploymentOptions()), "AWS credentials in the environment");
        ServiceRig.assumeMariaDb();
        plane = PlaneHome.in(dir.resolve("home"));
    }

    @AfterEach
    void stopWhateverRuns() {
        if (plane != null) {
            plane.close();
        }
    }

    @Test
    void chaos_onAService_printsItsWriteUnavailableSecondsAndItsRowsBeforeAndAfter() throws Exception {
        Path spec = dir.resolve("chaosdb.yaml");
        // No bucket of its own: the service's backup goes to the local plane's.
        Files.writeString(spec, ServiceOnEmulator.spec("chaosdb", "unused").replaceAll("(?s)buckets:.*", ""));
        assertThat(CliRun.of("local", "start", "--interval", "0.2").exitCode()).isZero();
        CliRun submitted = CliRun.of("run", spec.toString(), "--detach");
        assertThat(submitted.exitCode()).as(submitted.all()).isZero();
        // The workload runs once submitted; its endpoint exists once the first primary serves.
        CliRun endpoint = await("the database serving").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> CliRun.of("endpoint", "chaosdb", "--json", "--show-password"), r -> r.exitCode() == 0);
        String host = field(endpoint.out(), "host");
        int port = Integer.parseInt(field(endpoint.out(), "port"));
        String password = field(endpoint.out(), "password");
        await("the application's password works").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> ServiceRig.sql(host, port, password, "SELECT 1").strip().equals("1"));
        ServiceRig.sql(host, port, password, "CREATE TABLE appdb.rehearsal (id INT PRIMARY KEY);"
                + " INSERT INTO appdb.rehearsal VALUES (1), (2), (3), (4), (5), (6), (7)");

        CliRun chaos = CliRun.of("chaos", "chaosdb", "--interruptions", "1");

        assertThat(chaos.exitCode()).as(chaos.all()).isZero();
        List<String> lines = chaos.out().lines().filter(l -> l.startsWith("interruption ")).toList();
        assertThat(lines).as(chaos.all()).hasSize(1);
        assertThat(lines.get(0)).matches("interruption 1: i-\\w+ \\(us-east-1/.*\\): warning .*"
                + "; [0-9.]+ s write-unavailable; rows (\\d+) before → \\1 after");
        long rows = Long.parseLong(lines.get(0).replaceAll(".*; rows (\\d+) before.*", "$1"));
        assertThat(rows).as("the rehearsal's seven rows are counted").isGreaterThanOrEqualTo(7);
        // The same host and port reach the new primary, with every row (a session the switch cut is opened again).
        await("the rows through the same endpoint").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> ServiceRig.sql(host, port, password, "SELECT COUNT(*) FROM appdb.rehearsal").strip(),
                        "7"::equals);
        assertThat(chaos.out()).contains("chaosdb came through 1 interruption(s); it is running");
        assertThat(CliRun.of("cancel", "chaosdb").exitCode()).isZero();
    }

    /** A field of {@code endpoint --json}'s one-line object, string or number. */
    private static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]*)")
                .matcher(json);
        assertThat(m.find()).as(name + " in " + json.replaceAll("\"password\"\\s*:\\s*\"[^\"]*\"", "\"password\":\"…\""))
                .isTrue();
        return m.group(1);
    }
}
