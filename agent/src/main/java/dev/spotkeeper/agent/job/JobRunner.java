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
 * sends the signal to the job, and waits until the job touches the marker again. With a checkpoint command, the
 * command's exit is the handshake.
 *
 * <p>The signal goes to the process the runner started. {@code /bin/sh} is dash on Debian and Ubuntu, and dash forks
 * even the only command of {@code sh -c}, so the signal would reach a shell that does not handle it and dies of it. A
 * simple command (one program and its arguments) is therefore run as {@code exec <command>}: the program replaces the
 * shell and gets the signal itself. A compound command is left to the shell as written, and must {@code exec} its
 * program or trap the signal. The job runs in a process group of its own ({@code setsid}), so {@link #stop} ends
 * everything it started, also what a subshell left in the background.
 */
public final class JobRunner {
    public static final String READY_MARKER = ".spotkeeper-ready";
    private static final Duration POLL = Duration.ofMillis(50);
    /** Shell words that make {@code exec <command>} wrong: builtins and keywords, which exec cannot run. */
    private static final java.util.Set<String> NOT_PROGRAMS = java.util.Set.of(".", ":", "[", "alias", "bg", "break",
            "case", "cd", "chdir", "command", "continue", "do", "done", "elif", "else", "esac", "eval", "exec", "exit",
            "export", "false", "fc", "fg", "fi", "for", "function", "getopts", "hash", "if", "in", "jobs", "local",
            "read", "readonly", "return", "select", "set", "shift", "then", "time", "times", "trap", "true", "type",
            "ulimit", "umask", "unalias", "unset", "until", "wait", "while", "{", "}", "!");
    /** Signal numbers on Linux (x86 and arm), to recognise an exit of 128 + n as death by the signal we sent. */
    private static final Map<String, Integer> SIGNALS = Map.of("HUP", 1, "INT", 2, "QUIT", 3, "USR1", 10,
            "USR2", 12, "ALRM", 14, "TERM", 15, "CONT", 18, "WINCH", 28, "PWR", 30);
    private static final Path SETSID = java.util.stream.Stream.of("/usr/bin/setsid", "/bin/setsid").map(Path::of)
            .filter(Files::isExecutable).findFirst().orElse(null);

    private final JobSpec spec;
    private final Map<String, String> env;
    private final Clock clock;
    private Process process;
    /** The job leads a process group of its own (its pid is the group id). */
    private boolean ownGroup;
    /** Set once {@link #stop} has killed the group: from then on its id may be another's, so it is not signalled. */
    private volatile boolean groupEnded;
    private volatile boolean signalSent;
    private volatile boolean stopRequested;

    public JobRunner(JobSpec spec, String instanceId, Clock clock) {
        this.spec = requireNonNull(spec, "spec is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.env = new java.util.HashMap<>(spec.extraEnv());
        env.put("SPOTKEEPER_CHECKPOINT_DIR", spec.checkpointDir().toString());
        env.put("SPOTKEEPER_RESULTS_DIR", spec.resultsDir().toString());
        env.put("SPOTKEEPER_WORKLOAD", spec.workload());
        env.put("SPOTKEEPER_INSTANCE_ID", requireNonNull(instanceId, "instanceId is null"));
    }

    /**
     * Put before the run command of a job that leads a process group of its own, which the instance's own watchdog
     * (on the emulator) or shutdown no longer reaches through the agent's group: a watcher in the job's group waits on
     * a pipe only the agent's JVM holds and, once it closes — the agent ended, however it ended, {@code kill -9}
     * included — ends the group (TERM, three seconds, KILL). So a job never runs on without its agent, and the
     * watcher signals only its own group ({@code kill 0}), which exists for as long as it lives: never a pid that may
     * have been reused. It ignores TERM, so it outlives the agent's own {@link #stop} until the KILL; the job reads
     * {@code /dev/null}.
     */
    static final String WATCHED = "exec 3<&0 </dev/null\n"
            + "( trap '' TERM; while read -r _ <&3; do :; done; kill -TERM 0; sleep 3; kill -KILL 0 ) &\n"
            + "exec 3<&-\n";

    /** Runs the setup command to its end; 0 when there is none. */
    public int setup() {
        if (spec.setup().isBlank()) {
            return 0;
        }
        return waitFor(shell(spec.setup()));
    }

    /** Starts the run command, in a process group of its own, as the shell's own process when it is a simple one. */
    public synchronized void start() {
        if (process != null) {
            throw new IllegalStateException("the job was already started");
        }
        ownGroup = SETSID != null;
        process = shell(asJob(spec.run()), ownGroup);
    }

    /** True once {@link #start} ran: the job has run, or runs. */
    public synchronized boolean started() {
        return process != null;
    }

    /** The pid of the job's process: the program itself for a simple command. */
    public long pid() {
        return process().pid();
    }

    public int waitFor() {
        return waitFor(process());
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The job's exit code once it has ended; empty while it runs or before it started. */
    public java.util.OptionalInt exitCode() {
        Process p = process;
        return p == null || p.isAlive() ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(p.exitValue());
    }

    /** True when {@link #stop} ended the job (rather than the job ending on its own). */
    public boolean stoppedByAgent() {
        return stopRequested;
    }

    /**
     * Why the job ended, when its exit code says it died of the very signal the runner sent to ask for a checkpoint
     * (exit 128 + the signal's number): the signal reached a process that does not handle it, and the fix.
     */
    public java.util.Optional<String> diagnose(int exitCode) {
        String name = signalName(spec.signal());
        Integer number = SIGNALS.get(name);
        if (!signalSent || stopRequested || number == null || exitCode != 128 + number) {
            return java.util.Optional.empty();
        }
        boolean simple = !asJob(spec.run()).equals(spec.run());
        return java.util.Optional.of("the job died of SIG" + name + " (exit " + exitCode + "), the signal the agent sends"
                + " to ask for a checkpoint: " + (simple ? "the program" : "/bin/sh, which ran 'run:' as a compound"
                + " command,") + " does not handle it. Make the program the job's own process with `exec` (run: exec"
                + " python train.py …) and handle SIG" + name + " there, or `trap` the signal in the shell script and"
                + " pass it on");
    }

    /**
     * {@code exec <command>} for a simple command (one program with its arguments), so the program replaces the shell;
     * anything else unchanged. Conservative: any list, pipeline, background job, subshell, command substitution,
     * redirection, leading assignment, builtin or keyword leaves the command to the shell as written.
     */
    static String asJob(String command) {
        String c = command.strip();
        if (c.isEmpty() || c.startsWith("exec ")) {
            return c.isEmpty() ? command : c;
        }
        for (char ch : c.toCharArray()) {
            if (";&|<>()`\n\r".indexOf(ch) >= 0) {
                return command;
            }
        }
        if (c.contains("$(")) {
            return command;
        }
        String first = c.split("\\s+", 2)[0];
        if (NOT_PROGRAMS.contains(first) || first.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
            return command;
        }
        return "exec " + c;
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
        signalSent = true;
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

    /**
     * Stops the job: SIGTERM to its process group (and its descendants), then SIGKILL after {@code grace}. The group is
     * signalled even when the job's own process has ended: what it left in the background must not outlive it.
     */
    public void stop(Duration grace) {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p == null) {
            return;
        }
        if (p.isAlive()) {
            stopRequested = true;
        }
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        signalGroup(p, "TERM");
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        signalGroup(p, "KILL");
        groupEnded = true;
        closeWatch(p);
    }

    /** Closes the watcher's pipe, as the end of the agent's JVM does: the watcher then ends the job's group. */
    void closeWatch() {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p != null) {
            closeWatch(p);
        }
    }

    private static void closeWatch(Process p) {
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // closed already
        }
    }

    /**
     * {@code kill -s SIG -- -<pgid>}; nothing left in the group is not an error. The group exists until the KILL of
     * {@link #stop}, even after the job's own process ended, because the watcher in it lives until then.
     */
    private void signalGroup(Process p, String signal) {
        if (!ownGroup || groupEnded) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, "--", "-" + p.pid()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor();
        } catch (IOException e) {
            // the descendants were signalled one by one above
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
        return shell(command, false);
    }

    /**
     * {@code /bin/sh -c command}; with {@code ownGroup} through {@code setsid}, which (the agent's child is no group
     * leader) makes the shell the leader of a new session and process group without forking, so its pid is the group's.
     */
    private Process shell(String command, boolean ownGroup) {
        try {
            Files.createDirectories(spec.checkpointDir());
            Files.createDirectories(spec.workDir());
            List<String> argv = ownGroup ? List.of(SETSID.toString(), "/bin/sh", "-c", WATCHED + command)
                    : List.of("/bin/sh", "-c", command);
            ProcessBuilder pb = new ProcessBuilder(argv).directory(spec.workDir().toFile())
                    .redirectErrorStream(false).inheritIO();
            if (ownGroup) {
                // The watcher's pipe: only this JVM holds its other end, so it closes when the agent ends.
                pb.redirectInput(ProcessBuilder.Redirect.PIPE);
            }
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

    private static String signalName(String signal) {
        return signal.toUpperCase(Locale.ROOT).replaceFirst("^SIG", "");
    }

    /** {@code kill -s USR1 <pid>}: the JDK cannot send arbitrary signals. */
    static void signal(long pid, String signal) {
        String name = signalName(signal);
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
