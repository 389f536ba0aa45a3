package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.cli.CliRun;
import dev.spotkeeper.cli.local.Connection;
import dev.spotkeeper.cli.local.LocalHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local control plane for real: {@code local start} re-launches this class path in the background (the
 * emulator with its services and a resident controller, the agent on the instances started from the same class
 * path), the job commands reach it across processes, and {@code local stop} leaves no process behind.
 */
class LocalControlPlaneTest {
    private static final String SPEC = """
            name: %s
            requirements:
              regions: [us-east-1]
              types: [m5.large, c5.large, m5.xlarge]
            placement:
              strategy: lowest-price
            maxDuration: 10m
            buckets:
              checkpoints: s3://spotkeeper-local-test/checkpoints
            run: %s
            """;

    @TempDir
    Path dir;

    private PlaneHome plane;
    private LocalHome home;

    @BeforeEach
    void home() {
        Assumptions.assumeTrue(JobBackends.isLocal(new DeploymentOptions()), "AWS credentials in the environment");
        plane = PlaneHome.in(dir.resolve("home"));
        home = plane.home();
    }

    @AfterEach
    void stopWhateverRuns() {
        // Even when the test failed half-way: no plane, and nothing it started, outlives the test.
        if (plane != null) {
            plane.close();
        }
    }

    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    private Path spec(String name, String run) throws IOException {
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, String.format(SPEC, name, run));
        return f;
    }

    @Test
    void localPlane_startDetachStatusLogsCancelRunCostStop_acrossProcesses() throws IOException {
        CliRun started = cli("local", "start", "--interval", "0.2");
        assertThat(started.exitCode()).as(started.all()).isZero();
        Connection c = Connection.read(home.connectionFile()).orElseThrow();
        assertThat(started.out()).contains("local control plane running at " + c.endpoint()).contains("pid " + c.pid());
        assertThat(Files.getPosixFilePermissions(home.connectionFile()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(c.pid()).isNotEqualTo(ProcessHandle.current().pid());
        CliRun status = cli("local", "status");
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).contains("running").contains(c.endpoint()).contains("pid:         " + c.pid())
                .contains("workloads:   0 (0 unfinished)")
                .contains("export AWS_ENDPOINT_URL=" + c.endpoint() + "\n")
                .contains("export AWS_ACCESS_KEY_ID=" + c.accessKeyId() + "\n")
                .contains("export AWS_SECRET_ACCESS_KEY=" + c.secretAccessKey() + "\n")
                .contains("export AWS_DEFAULT_REGION=us-east-1\n").doesNotContain(c.controlToken());
        assertThat(started.out()).doesNotContain(c.secretAccessKey()).doesNotContain(c.controlToken());

        CliRun detached = cli("run", spec("ticker", "i=0; while true; do i=$((i+1)); echo \"tick $i\"; sleep 1; done")
                .toString(), "--detach");
        assertThat(detached.exitCode()).as(detached.all()).isZero();
        assertThat(detached.out()).contains("submitted ticker to the local control plane at " + c.endpoint())
                .doesNotContain("starting the local control plane");
        // Launched by the resident controller, seen from this process: enough to cancel; its logs are read below.
        await("ticker launched").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                .until(() -> cli("list").out().matches("(?s).*\nticker +running .* i-\\w+ us-east-1/.*"));
        assertThat(cli("status", "ticker").out()).contains("status:      running").contains("spot");

        CliRun cancelled = cli("cancel", "ticker");
        assertThat(cancelled.exitCode()).as(cancelled.all()).isZero();
        assertThat(cancelled.out()).contains("cancelled ticker; 1 instance(s) terminated");
        assertThat(cli("status", "ticker").out()).contains("status:      cancelled").contains("terminated");

        CliRun followed = cli("run", spec("short", "echo hello from short; sleep 1").toString(), "--interval", "0.2");
        assertThat(followed.exitCode()).as(followed.all()).isZero();
        assertThat(followed.out()).contains("submitted short to the local control plane")
                .contains("LAUNCHED short").contains("SUCCEEDED short").contains("status: short  succeeded")
                .contains("short succeeded; cost: spotkeeper cost short").doesNotContain("ticker");
        assertThat(Files.readString(home.journalFile())).contains("\"workload\":\"short\"")
                .contains("\"kind\":\"SUCCEEDED\"");
        assertThat(cli("logs", "short").out()).contains("hello from short");
        CliRun cost = cli("cost", "short");
        assertThat(cost.exitCode()).isZero();
        assertThat(cost.out()).contains("cost of short").contains("total").contains("all on-demand would have cost");
        assertThat(cli("local", "status").out()).contains("workloads:   2 (0 unfinished), 0 instance(s) running");

        List<ProcessHandle> tree = ProcessHandle.of(c.pid()).orElseThrow().descendants().toList();
        CliRun stopped = cli("local", "stop");
        assertThat(stopped.exitCode()).as(stopped.all()).isZero();
        assertThat(stopped.out()).contains("terminating its 0 running instance(s)").contains("stopped");
        assertThat(ProcessHandle.of(c.pid()).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        await("the plane's children gone").atMost(Duration.ofSeconds(10))
                .until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(home.connectionFile()).doesNotExist();
        assertThat(Files.readString(home.logFile())).contains("spotkeeper local control plane stopped");
        assertThat(cli("local", "status").exitCode()).isEqualTo(1);
        assertThat(cli("list").err()).contains("no local control plane is running");
    }

    @Test
    void runDetach_withNoPlaneRunning_startsOneAndSubmitsToIt() throws IOException {
        CliRun r = cli("run", spec("quick", "echo quick done").toString(), "--detach");

        assertThat(r.exitCode()).as(r.all()).isZero();
        Connection c = Connection.read(home.connectionFile()).orElseThrow();
        assertThat(r.out()).contains("starting the local control plane")
                .contains("started the local control plane at " + c.endpoint() + " (pid " + c.pid() + ")")
                .contains("submitted quick to the local control plane");
        assertThat(cli("list").out()).contains("quick");
        assertThat(cli("local", "start").out()).contains("already runs at " + c.endpoint());
    }

    @Test
    void staleConnectionFile_ofAProcessThatIsGone_isRemovedAndReported() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        home.ensure();
        new Connection("http://127.0.0.1:9", "us-east-1", "AKIATEST", "generated-" + System.nanoTime(), "q", "t",
                gone.pid(), Instant.EPOCH, Instant.parse("2026-01-01T00:00:00Z")).write(home.connectionFile());

        CliRun status = cli("local", "status");

        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.out()).contains("removed the connection file of a local control plane that is gone (pid "
                + gone.pid()).contains("no local control plane is running");
        assertThat(home.connectionFile()).doesNotExist();
        new Connection("http://127.0.0.1:9", "us-east-1", "AKIATEST", "generated-" + System.nanoTime(), "q", "t",
                gone.pid(), Instant.EPOCH, Instant.parse("2026-01-01T00:00:00Z")).write(home.connectionFile());
        CliRun list = cli("list");
        assertThat(list.exitCode()).isEqualTo(2);
        assertThat(list.err()).contains("no local control plane is running");
        assertThat(home.connectionFile()).doesNotExist();
        assertThat(cli("local", "stop").out()).contains("nothing to stop");
    }

    @Test
    void damagedConnectionFile_isReportedWithWhatToDo() throws IOException {
        home.ensure();
        Files.writeString(home.connectionFile(), "{\"endpoint\": 3");

        CliRun r = cli("list");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("the connection file " + home.connectionFile() + " is damaged")
                .contains("delete it").doesNotContain("Exception");
    }
}
