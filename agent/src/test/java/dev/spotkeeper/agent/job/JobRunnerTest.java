package dev.spotkeeper.agent.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job runner on this machine's real {@code /bin/sh} (dash on Debian and Ubuntu, which forks rather than execs
 * the command of {@code sh -c}) with a Python job in the shape of the README's example.
 */
class JobRunnerTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    /** Saves its step on SIGUSR1 (write, rename, then the ready marker) and counts until a file named stop appears. */
    private static final String TRAIN_PY = """
            import os, signal, time
            ckpt = os.environ["SPOTKEEPER_CHECKPOINT_DIR"]
            step = 0
            def save(*_):
                with open(os.path.join(ckpt, "state.tmp"), "w") as f:
                    f.write(str(step))
                os.replace(os.path.join(ckpt, "state.tmp"), os.path.join(ckpt, "state"))
                open(os.path.join(ckpt, ".spotkeeper-ready"), "w").close()
            signal.signal(signal.SIGUSR1, save)
            with open("pid", "w") as f:
                f.write(str(os.getpid()))
            while not os.path.exists("stop"):
                step += 1
                time.sleep(0.02)
            """;

    @TempDir
    Path work;
    JobRunner job;

    @BeforeEach
    void script() throws IOException {
        assumeThat(Files.isExecutable(PYTHON)).as("/usr/bin/python3 (python3 from Debian)").isTrue();
        Files.createDirectories(work.resolve("job"));
        Files.writeString(work.resolve("job/train.py"), TRAIN_PY);
    }

    @AfterEach
    void stop() {
        if (job != null) {
            job.stop(Duration.ofSeconds(2));
        }
    }

    private JobRunner runner(String run) {
        job = new JobRunner(new JobSpec("train", work.resolve("job"), work.resolve("ckpt"), work.resolve("results"),
                "", run, "SIGUSR1", "", Map.of()), "i-0test", Clock.systemUTC());
        return job;
    }

    @Test
    void simpleCommand_onDash_getsTheCheckpointSignalItself_andKeepsRunning() throws Exception {
        JobRunner runner = runner("/usr/bin/python3 train.py");
        runner.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(work.resolve("job/pid")));

        boolean confirmed = runner.requestCheckpoint(Duration.ofSeconds(20));

        assertThat(confirmed).as("the job confirmed its checkpoint").isTrue();
        assertThat(runner.isAlive()).as("the job survived the signal").isTrue();
        assertThat(Files.readString(work.resolve("ckpt/state"))).matches("\\d+");
        assertThat(runner.pid()).as("the job is the agent's direct child")
                .isEqualTo(Long.parseLong(Files.readString(work.resolve("job/pid")).trim()));
        Files.createFile(work.resolve("job/stop"));
        assertThat(runner.waitFor()).isZero();
    }

    @Test
    void compoundCommand_diesOfTheSignal_andTheRunnerSaysWhyAndHowToFixIt() throws Exception {
        JobRunner runner = runner("cd . && /usr/bin/python3 train.py");
        runner.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(work.resolve("job/pid")));

        boolean confirmed = runner.requestCheckpoint(Duration.ofSeconds(5));
        int exit = runner.waitFor();

        assertThat(confirmed).isFalse();
        assertThat(exit).isEqualTo(138);
        Optional<String> why = runner.diagnose(exit);
        assertThat(why).hasValueSatisfying(m -> assertThat(m)
                .contains("SIGUSR1").contains("the signal the agent sends to ask for a checkpoint")
                .contains("exec").contains("trap"));
    }

    @Test
    void stop_endsTheWholeProcessGroup_evenWhatTheJobLeftInTheBackground() throws Exception {
        // The subshell exits at once, so its sleep is no longer a descendant of the job: only its group finds it.
        JobRunner runner = runner("(sleep 300 & echo $! > bg.pid); /usr/bin/python3 train.py");
        runner.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(work.resolve("job/pid"))
                && Files.exists(work.resolve("job/bg.pid")) && Files.size(work.resolve("job/bg.pid")) > 0);
        long background = Long.parseLong(Files.readString(work.resolve("job/bg.pid")).trim());
        long python = Long.parseLong(Files.readString(work.resolve("job/pid")).trim());

        runner.stop(Duration.ofSeconds(5));

        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(background).map(p -> !p.isAlive()).orElse(true)
                && ProcessHandle.of(python).map(p -> !p.isAlive()).orElse(true));
        assertThat(runner.isAlive()).isFalse();
        assertThat(runner.diagnose(runner.waitFor())).as("stopped by the agent, not killed by its signal").isEmpty();
    }

    @Test
    void job_endsWithItsAgent_evenWhenTheAgentDiesWithoutStoppingIt() throws Exception {
        // The pipe closes when the agent's JVM ends however it ends (kill -9 included); closing it is that death.
        JobRunner runner = runner("(sleep 300 & echo $! > bg.pid); /usr/bin/python3 train.py");
        runner.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(work.resolve("job/pid"))
                && Files.exists(work.resolve("job/bg.pid")) && Files.size(work.resolve("job/bg.pid")) > 0);
        long background = Long.parseLong(Files.readString(work.resolve("job/bg.pid")).trim());
        long python = Long.parseLong(Files.readString(work.resolve("job/pid")).trim());

        runner.closeWatch();

        await().atMost(Duration.ofSeconds(15)).until(() -> ProcessHandle.of(background).map(p -> !p.isAlive()).orElse(true)
                && ProcessHandle.of(python).map(p -> !p.isAlive()).orElse(true));
        assertThat(runner.isAlive()).isFalse();
    }

    @Test
    void simpleCommands_areExecd_andAnythingElseIsLeftToTheShell() {
        assertThat(JobRunner.asJob("python train.py --ckpt-dir \"$SPOTKEEPER_CHECKPOINT_DIR\""))
                .isEqualTo("exec python train.py --ckpt-dir \"$SPOTKEEPER_CHECKPOINT_DIR\"");
        assertThat(JobRunner.asJob("  ./train --epochs 3 ")).isEqualTo("exec ./train --epochs 3");
        assertThat(JobRunner.asJob("exec python train.py")).isEqualTo("exec python train.py");
        for (String compound : new String[] {"cd src && python train.py", "python a.py; python b.py",
                "python a.py || true", "python a.py | tee log", "python a.py &", "python a.py\npython b.py",
                "(cd src; python a.py)", "python $(which train)", "python `which train`", "EPOCHS=3 python a.py",
                "if true; then python a.py; fi", "cd src", "trap 'save' USR1", "{ python a.py; }",
                "python a.py > log 2>&1", "while true; do sleep 1; done", "! python a.py", ""}) {
            assertThat(JobRunner.asJob(compound)).as(compound).isEqualTo(compound);
        }
    }
}
