package dev.spotkeeper.agent.job;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * Runs the job as a child process whose output goes to the agent's own (the instance console), and asks it for
 * checkpoints. The checkpoint handshake: the runner deletes {@code $SPOTKEEPER_CHECKPOINT_DIR/.spotkeeper-ready},
 * sends the signal to the process {@code /bin/sh -c <run>} started (the program itself for a simple command, which
 * the shell execs; a compound command should {@code exec} its program or trap the signal), and waits until the job
 * touches the marker again. With a checkpoint command, the command's exit is the handshake.
 */
public final class JobRunner {
    public static final String READY_MARKER = ".spotkeeper-ready";
    private static final Duration POLL = Duration.ofMillis(50);

    private final JobSpec spec;
    private final Map<String, String> env;
    private final Clock clock;
    private Process process;

    public JobRunner(JobSpec spec, String instanceId, Clock clock) {
        this.spec = requireNonNull(spec, "spec is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.env = new java.util.HashMap<>(spec.extraEnv());
        env.put("SPOTKEEPER_CHECKPOINT_DIR", spec.checkpointDir().toString());
        env.put("SPOTKEEPER_RESULTS_DIR", spec.resultsDir().toString());
        env.put("SPOTKEEPER_WORKLOAD", spec.workload());
        env.put("SPOTKEEPER_INSTANCE_ID", requireNonNull(instanceId, "instanceId is null"));
    }

    /** Runs the setup command to its end; 0 when there is none. */
    public int setup() {
        if (spec.setup().isBlank()) {
            return 0;
        }
        return waitFor(shell(spec.setup()));
    }

    /** Starts the run command. */
    public synchronized void start() {
        if (process != null) {
            throw new IllegalStateException("the job was already started");
        }
        process = shell(spec.run());
    }

    public int waitFor() {
        return waitFor(process());
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Whether the job can be asked for a checkpoint at all. */
    public boolean canBeAsked() {
        return !spec.signal().isBlank() || !spec.checkpointCommand().isBlank();
    }

    /**
     * Asks the job for a checkpoint and waits up to {@code timeout} for it.
     *
     * @return true when the job confirmed (or there is no way to ask), false when it did not in time
     */
    public boolean requestCheckpoint(Duration timeout) {
        if (!spec.checkpointCommand().isBlank()) {
            Process p = shell(spec.checkpointCommand());
            try {
                if (!p.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return false;
                }
                return p.exitValue() == 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (spec.signal().isBlank() || !isAlive()) {
            return true;
        }
        Path marker = spec.checkpointDir().resolve(READY_MARKER);
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "cannot clear " + marker + ": " + e.getMessage(), e);
        }
        signal(process().pid(), spec.signal());
        Instant until = clock.instant().plus(timeout);
        while (!Files.exists(marker)) {
            if (!clock.instant().isBefore(until) || !isAlive()) {
                return Files.exists(marker);
            }
            pause();
        }
        return true;
    }

    /** The job's own progress from {@code $SPOTKEEPER_CHECKPOINT_DIR/../progress}, when it writes one in [0, 1]. */
    public OptionalDouble progress() {
        Path file = spec.checkpointDir().toAbsolutePath().getParent().resolve("progress");
        try {
            double p = Double.parseDouble(Files.readString(file).trim());
            return p >= 0 && p <= 1 ? OptionalDouble.of(p) : OptionalDouble.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    /** Stops the job: SIGTERM to it and its descendants, then SIGKILL after {@code grace}. */
    public void stop(Duration grace) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized Process process() {
        if (process == null) {
            throw new IllegalStateException("the job has not been started");
        }
        return process;
    }

    private Process shell(String command) {
        try {
            Files.createDirectories(spec.checkpointDir());
            Files.createDirectories(spec.workDir());
            ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", command)).directory(spec.workDir().toFile())
                    .redirectErrorStream(false).inheritIO();
            pb.environment().putAll(env);
            return pb.start();
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "cannot start '" + command + "' in " + spec.workDir() + ": " + e.getMessage(), e);
        }
    }

    private static int waitFor(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "interrupted while waiting for the job", e);
        }
    }

    /** {@code kill -s USR1 <pid>}: the JDK cannot send arbitrary signals. */
    static void signal(long pid, String signal) {
        String name = signal.toUpperCase(Locale.ROOT).replaceFirst("^SIG", "");
        try {
            Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid)).redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes());
            if (kill.waitFor() != 0) {
                throw SpotkeeperException.invalidArgument("cannot send SIG" + name + " to the job (pid " + pid + "): " + out.trim());
            }
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "cannot run kill: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
