package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.cli.CliRun;
import dev.spotkeeper.cli.local.Connection;
import dev.spotkeeper.cli.local.LocalHome;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real local control plane killed with {@code kill -9}: nothing its instances started outlives it, none of them
 * reaches this machine's {@code shutdown}, and the next plane finds the workloads and checkpoints it kept and
 * resumes the unfinished job from its checkpoint.
 */
class LocalPlaneCrashTest {
    /**
     * A chain of steps that resumes from its checkpoint (written in the handshake, on SIGUSR1) and says where it
     * started from.
     */
    private static final String RESUMABLE = """
            name: %s
            requirements:
              regions: [us-east-1]
              types: [m5.large, c5.large, m5.xlarge]
            placement:
              strategy: lowest-price
            maxDuration: 15m
            buckets:
              checkpoints: s3://spotkeeper-crash-test/checkpoints
            run: >-
              d="$SPOTKEEPER_CHECKPOINT_DIR"; i=$(cat "$d/state" 2>/dev/null || echo 0);
              echo "training from step $i";
              trap 'echo "$i" > "$d/state.tmp"; mv "$d/state.tmp" "$d/state"; touch "$d/.spotkeeper-ready"' USR1;
              while [ "$i" -lt 40 ]; do i=$((i + 1)); echo "step $i";
              awk "BEGIN{print $i/40}" > "$d/../progress"; sleep 0.3; done; echo "training done"
            checkpoint:
              dir: checkpoint
              signal: SIGUSR1
              syncInterval: 2s
            """;

    private static final String TIMER = """
            name: %s
            requirements:
              regions: [us-east-1]
              types: [m5.large, c5.large, m5.xlarge]
            placement:
              strategy: lowest-price
            buckets:
              checkpoints: s3://spotkeeper-crash-test/checkpoints
            run: >-
              ( sleep %d && shutdown -h now ) & echo "armed";
              while true; do sleep 1; done
            """;

    @TempDir
    Path dir;

    private PlaneHome plane;
    private LocalHome home;
    /** What a killed plane had started: ended here should the test fail before it checked they were gone. */
    private final List<ProcessHandle> killed = new ArrayList<>();

    @BeforeEach
    void home() {
        Assumptions.assumeTrue(JobBackends.isLocal(new DeploymentOptions()), "AWS credentials in the environment");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "no setsid here");
        plane = PlaneHome.in(dir.resolve("home"));
        home = plane.home();
    }

    @AfterEach
    void stopWhateverRuns() {
        // Even when the test failed half-way: no plane, and nothing it started, outlives the test.
        if (plane != null) {
            plane.alsoEnd(killed);
            plane.close();
        }
    }

    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    private Path spec(String name, String text) throws IOException {
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, text);
        return f;
    }

    /** kill -9 of the plane; returns what it had started, taken just before. */
    private List<ProcessHandle> killPlane(Connection c) {
        ProcessHandle plane = ProcessHandle.of(c.pid()).orElseThrow();
        List<ProcessHandle> tree = new ArrayList<>(plane.descendants().toList());
        killed.addAll(tree);
        assertThat(tree).as("the plane's processes (DynamoDB Local, the instance)").hasSizeGreaterThan(1);
        assertThat(plane.destroyForcibly()).isTrue();
        await("the plane gone").atMost(Duration.ofSeconds(10)).until(() -> !plane.isAlive());
        return tree;
    }

    @Test
    void killedPlane_leavesNoProcessOfItsInstances_andNeverReachesTheHostsShutdown() throws Exception {
        Path called = dir.resolve("host-shutdown-called");
        Path hostBin = Files.createDirectories(dir.resolve("host-bin"));
        for (String name : new String[] {"shutdown", "poweroff", "halt", "reboot"}) {
            Path f = hostBin.resolve(name);
            Files.writeString(f, "#!/bin/sh\necho \"$0 $*\" >> '" + called + "'\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
        }
        // `local start` in a process of its own, with a stand-in for the host's shutdown first on its PATH.
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-D" + LocalHome.PROPERTY + "=" + home.dir(),
                "dev.spotkeeper.cli.Main", "local", "start", "--interval", "0.2")
                .redirectErrorStream(true).redirectOutput(dir.resolve("local-start.out").toFile());
        pb.environment().put("PATH", hostBin + File.pathSeparator + System.getenv("PATH"));
        Process start = pb.start();
        assertThat(start.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(start.exitValue()).as(Files.readString(dir.resolve("local-start.out"))).isZero();
        Connection c = Connection.read(home.connectionFile()).orElseThrow();
        int timerSeconds = 8;
        CliRun detached = cli("run", spec("timer", String.format(TIMER, "timer", timerSeconds)).toString(), "--detach");
        assertThat(detached.exitCode()).as(detached.all()).isZero();
        await("the timer armed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> cli("logs", "timer").out().contains("armed"));
        Instant armed = Instant.now();

        List<ProcessHandle> tree = killPlane(c);
        assertThat(Duration.between(armed, Instant.now())).as("killed before the timer fires")
                .isLessThan(Duration.ofSeconds(timerSeconds));

        await("every process of the dead plane gone").atMost(Duration.ofSeconds(20))
                .until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
        // Until well past the moment the timer would have fired: the host's shutdown is never called.
        Duration untilFired = Duration.between(Instant.now(), armed.plusSeconds(timerSeconds + 5));
        if (!untilFired.isNegative()) {
            await().during(untilFired).atMost(untilFired.plusSeconds(5)).until(() -> !Files.exists(called));
        }
        assertThat(called).doesNotExist();
    }

    @Test
    void killedPlane_nextPlaneResumesTheJobFromItsCheckpoint_andTheOldInstanceIsGone() throws Exception {
        CliRun started = cli("local", "start", "--interval", "0.2");
        assertThat(started.exitCode()).as(started.all()).isZero();
        assertThat(started.out()).contains("found no workloads of a previous plane");
        Connection c = Connection.read(home.connectionFile()).orElseThrow();
        CliRun detached = cli("run", spec("resume", String.format(RESUMABLE, "resume")).toString(), "--detach");
        assertThat(detached.exitCode()).as(detached.all()).isZero();
        Pattern progress = Pattern.compile("progress: +(\\d+\\.\\d) %");
        await("a checkpoint past step 0").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    String s = cli("status", "resume").out();
                    Matcher m = progress.matcher(s);
                    return s.contains("checkpoint:  ckpt-") && m.find() && Double.parseDouble(m.group(1)) >= 20;
                });
        String firstInstance = firstInstanceOf(cli("status", "resume").out());

        List<ProcessHandle> tree = killPlane(c);
        await("every process of the dead plane gone").atMost(Duration.ofSeconds(20))
                .until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));

        CliRun again = cli("local", "start", "--interval", "0.2");
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.out()).contains("found 1 workload (1 unfinished) and 1 instance of the previous plane"
                + " (ended); the unfinished one resumes from its checkpoint");
        await("the job finished on the new plane").atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500))
                .until(() -> cli("status", "resume").out().contains("status:      succeeded"));

        String logs = cli("logs", "resume").out();
        List<Integer> starts = new ArrayList<>();
        Matcher m = Pattern.compile("training from step (\\d+)").matcher(logs);
        while (m.find()) {
            starts.add(Integer.parseInt(m.group(1)));
        }
        assertThat(starts).as(logs).hasSize(2);
        assertThat(starts.get(0)).isZero();
        assertThat(starts.get(1)).as("resumed from the checkpoint, not from zero").isGreaterThan(0);
        assertThat(logs).contains("training done");
        assertThat(cli("status", "resume").out()).containsPattern(firstInstance + " +terminated");
    }

    private static String firstInstanceOf(String status) {
        Matcher m = Pattern.compile("\\n  (i-\\w+) ").matcher(status);
        assertThat(m.find()).as(status).isTrue();
        return m.group(1);
    }
}
