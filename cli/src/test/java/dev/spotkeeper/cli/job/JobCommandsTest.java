package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobCommandsTest {
    @TempDir
    Path dir;

    private Function<DeploymentOptions, JobBackend> previous;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private InMemoryBackend install(boolean scripted) {
        InMemoryBackend backend = new InMemoryBackend(scripted);
        previous = JobBackends.install(o -> backend);
        return backend;
    }

    @AfterEach
    void restore() {
        if (previous != null) {
            JobBackends.install(previous);
            JobBackends.uninstall();
        }
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    private Path spec(String name) throws IOException {
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, "name: " + name + "\nrun: python train.py --epochs 10\nbudget: 5\n"
                + "checkpoint:\n  dir: /tmp/ckpt\n  signal: SIGUSR1\n");
        return f;
    }

    @Test
    void run_followsTheJobToCompletion_withEventsStatusLineAndCostHint() throws IOException {
        install(true);

        int code = run("run", spec("train").toString(), "--interval", "0");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("submitted train to in-memory test cloud")
                .contains("LAUNCHED train").contains("RESTORED").contains("SUCCEEDED")
                .contains("status: train  succeeded").contains("cost: spotkeeper cost train");
    }

    @Test
    void detach_thenStatusListCostLogsCancel() throws IOException {
        InMemoryBackend backend = install(false);
        assertThat(run("run", spec("train").toString(), "--detach")).isZero();
        assertThat(out.toString()).contains("spotkeeper status train");

        assertThat(run("list")).isZero();
        assertThat(out.toString()).contains("train").contains("submitted");

        assertThat(run("status", "train")).isZero();
        assertThat(out.toString()).contains("status:      submitted").contains("none yet");

        assertThat(run("run", spec("train").toString(), "--timeout", "PT0S")).isEqualTo(2);
        assertThat(err.toString()).contains("already submitted");
        assertThat(run("run", spec("other").toString(), "--timeout", "PT0S")).isZero();
        assertThat(out.toString()).contains("LAUNCHED other").contains("stopped following after PT0S");
        assertThat(run("status", "train")).isZero();
        assertThat(out.toString()).contains("status:      running").contains("us-east-1/us-east-1a/m5.large");

        backend.clock.advance(java.time.Duration.ofMinutes(5));
        assertThat(run("cancel", "train")).isZero();
        assertThat(out.toString()).contains("cancelled train").contains("checkpoints kept");
        assertThat(backend.compute.alive()).extracting(i -> i.tags().get("spotkeeper:workload")).containsExactly("other");

        assertThat(run("cost", "train")).isZero();
        assertThat(out.toString()).contains("spot").contains("on-demand").contains("storage").contains("transfer")
                .contains("all on-demand would have cost");

        assertThat(run("logs", "train")).isZero();
        assertThat(out.toString()).contains("==> i-");
    }

    @Test
    void status_namesTheCheckpointTheJobResumedFrom_andTheSkippedOnesWithWhy() throws IOException {
        InMemoryBackend backend = install(false);
        run("run", spec("train").toString(), "--detach");
        var w = backend.store.workload("train").orElseThrow();
        backend.store.updateWorkload(w.with(w.status(), 0.4, "ckpt-0000000002-i-1", backend.clock.instant())
                .withRun(w.run().restored("ckpt-0000000002-i-1",
                        java.util.List.of("ckpt-0000000003-i-1: checksum mismatch for model.bin")), backend.clock.instant()));

        assertThat(run("status", "train")).isZero();

        assertThat(out.toString()).contains("checkpoint:  ckpt-0000000002-i-1 (the job resumed from ckpt-0000000002-i-1,"
                + " skipping ckpt-0000000003-i-1: checksum mismatch for model.bin)");
    }

    @Test
    void status_ofANameSubmittedAgain_showsOnlyTheCurrentSubmissionsInstances() throws IOException {
        InMemoryBackend backend = install(false);
        run("run", spec("train").toString(), "--timeout", "PT0S");
        String old = backend.store.instances("train").get(0).instanceId();
        backend.clock.advance(java.time.Duration.ofHours(2));
        run("cancel", "train");
        run("run", spec("train").toString(), "--timeout", "PT0S");
        assertThat(backend.store.instances("train")).hasSize(2);

        assertThat(run("status", "train")).isZero();

        assertThat(out.toString()).doesNotContain(old).contains("status:      running").contains("spent:       $0.0000");
        assertThat(run("list")).isZero();
        assertThat(out.toString()).doesNotContain(old).contains("$0.0000");
        assertThat(run("cost", "train")).isZero();
        assertThat(out.toString()).contains("(0.00 instance-hours)");
    }

    @Test
    void status_ofAnUnknownWorkload_suggestsTheNearestName() throws IOException {
        install(false);
        run("run", spec("train").toString(), "--detach");

        int code = run("status", "trian");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: no workload named 'trian'").contains("train");
    }

    @Test
    void eventsSend_putsAValidEventOnTheQueue() throws IOException {
        InMemoryBackend backend = install(false);
        Path f = dir.resolve("warning.json");
        Files.writeString(f, "{\"version\":\"0\",\"id\":\"1\",\"detail-type\":\"EC2 Spot Instance Interruption Warning\","
                + "\"source\":\"aws.ec2\",\"account\":\"1\",\"time\":\"2026-03-01T00:00:00Z\",\"region\":\"us-east-1\","
                + "\"resources\":[],\"detail\":{\"instance-id\":\"i-0abc\",\"instance-action\":\"terminate\"}}");

        assertThat(run("events", "send", f.toString())).isZero();

        assertThat(out.toString()).contains("sent 'EC2 Spot Instance Interruption Warning' for i-0abc");
        assertThat(backend.queue.visibleCount()).isEqualTo(1);
    }

    @Test
    void eventsSend_refusesAFileWithCommentsNamingTheLine() throws IOException {
        InMemoryBackend backend = install(false);
        Path f = dir.resolve("pasted.json");
        Files.writeString(f, "{\n  \"detail-type\": \"EC2 Spot Instance Interruption Warning\",\n"
                + "  \"id\": \"1\" # example value\n}\n");

        int code = run("events", "send", f.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: " + f + ":3: not valid JSON").contains("nothing was sent")
                .doesNotContain("Exception");
        assertThat(backend.queue.visibleCount()).isZero();
    }

    @Test
    void eventsSend_refusesJsonThatIsNotAnEvent() throws IOException {
        install(false);
        Path f = dir.resolve("x.json");
        Files.writeString(f, "{\"hello\": \"world\"}");

        int code = run("events", "send", f.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("not an EventBridge event");
    }

    @Test
    void jobCommands_withNoLocalControlPlaneRunning_sayHowToStartOne() {
        Assumptions.assumeTrue(JobBackends.isLocal(new DeploymentOptions()), "AWS credentials in the environment");
        String before = System.getProperty("spotkeeper.home");
        System.setProperty("spotkeeper.home", dir.resolve("home").toString());
        try {
            for (String[] args : new String[][] {{"status", "train"}, {"list"}, {"logs", "train"}, {"cancel", "train"},
                    {"cost", "train"}}) {
                int code = run(args);

                assertThat(code).as(String.join(" ", args)).isEqualTo(2);
                assertThat(err.toString()).as(String.join(" ", args)).isEqualTo("error: no local control plane is"
                        + " running; start one with `spotkeeper local start`, or run the job in the foreground"
                        + " (`spotkeeper run FILE`)" + System.lineSeparator());
            }
            assertThat(dir.resolve("home").resolve("plane.json")).doesNotExist();
        } finally {
            if (before == null) {
                System.clearProperty("spotkeeper.home");
            } else {
                System.setProperty("spotkeeper.home", before);
            }
        }
    }
}
