package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.cli.CliRun;
import dev.spotkeeper.cli.Main;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.store.WorkloadStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job commands next to a resident controller (in-memory cloud): they follow its event log and wait for its
 * work instead of running passes of their own, which would split the queue's events between two controllers.
 * Also {@code spotkeeper controller}, the resident reconciler itself.
 */
class ResidentControllerTest {
    @TempDir
    Path dir;

    private Controller resident;
    private boolean installed;

    @AfterEach
    void stop() {
        if (resident != null) {
            resident.close();
        }
        if (installed) {
            JobBackends.uninstall();
        }
    }

    private InMemoryBackend residentBackend(boolean scripted) {
        InMemoryBackend backend = new InMemoryBackend(scripted, dir.resolve("events.log"));
        JobBackends.install(o -> backend);
        installed = true;
        resident = backend.residentController();
        resident.start(Duration.ofMillis(20));
        return backend;
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private Path spec(String name) throws IOException {
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, "name: " + name + "\nrun: python train.py --epochs 10\nbudget: 5\n"
                + "checkpoint:\n  dir: /tmp/ckpt\n  signal: SIGUSR1\n");
        return f;
    }

    @Test
    void run_withAResidentController_followsItsEventLogToTheEnd_withoutRunningPasses() throws IOException {
        InMemoryBackend backend = residentBackend(true);

        CliRun r = run("run", spec("train").toString(), "--interval", "0.02");

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("submitted train to in-memory test cloud").contains("SUBMITTED train")
                .contains("LAUNCHED train").contains("RESTORED train").contains("SUCCEEDED train")
                .contains("status: train  succeeded").contains("train succeeded; cost: spotkeeper cost train");
        assertThat(backend.commandReceives).hasValue(0);
        assertThat(Files.readString(dir.resolve("events.log"))).contains("\"kind\":\"LAUNCHED\"")
                .contains("\"workload\":\"train\"");
    }

    @Test
    void run_withAResidentController_printsOnlyItsOwnWorkloadsEvents() throws IOException {
        InMemoryBackend backend = residentBackend(true);
        assertThat(run("run", spec("first").toString(), "--interval", "0.02").exitCode()).isZero();

        CliRun r = run("run", spec("second").toString(), "--interval", "0.02");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("LAUNCHED second").doesNotContain("first");
        assertThat(backend.commandReceives).hasValue(0);
    }

    @Test
    void cancel_withAResidentController_waitsForItToTerminateTheInstances() throws IOException {
        InMemoryBackend backend = residentBackend(false);
        assertThat(run("run", spec("train").toString(), "--detach").exitCode()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> !backend.compute.alive().isEmpty());

        CliRun r = run("cancel", "train");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("cancelled train; 1 instance(s) terminated").doesNotContain("still stopping");
        assertThat(backend.compute.alive()).isEmpty();
        assertThat(backend.store.workload("train").orElseThrow().status()).isEqualTo(WorkloadStatus.CANCELLED);
        assertThat(backend.commandReceives).hasValue(0);
    }

    @Test
    void controllerCommand_refusesToRunNextToAResidentController() {
        residentBackend(false);

        CliRun r = run("controller", "--interval", "0");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("has a controller of its own").contains("split the events");
    }

    @Test
    void controllerCommand_handlesDetachedJobsUntilStopped() throws Exception {
        InMemoryBackend backend = new InMemoryBackend(true);
        JobBackends.install(o -> backend);
        installed = true;
        StringWriter out = new StringWriter();
        AtomicInteger code = new AtomicInteger(-1);
        Thread t = new Thread(() -> code.set(Main.commandLine().setOut(new PrintWriter(out))
                .setErr(new PrintWriter(new StringWriter())).execute("controller", "--interval", "0.02")));
        t.start();
        try {
            assertThat(run("run", spec("train").toString(), "--detach").exitCode()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    backend.store.workload("train").orElseThrow().status() == WorkloadStatus.SUCCEEDED);
        } finally {
            t.interrupt();
            t.join(10_000);
        }

        assertThat(t.isAlive()).isFalse();
        assertThat(code).hasValue(0);
        assertThat(out.toString()).contains("controller on in-memory test cloud").contains("LAUNCHED train")
                .contains("SUCCEEDED train").contains("controller stopped");
    }
}
