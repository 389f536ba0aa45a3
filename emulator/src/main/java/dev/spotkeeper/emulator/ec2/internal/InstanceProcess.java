package dev.spotkeeper.emulator.ec2.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The user-data script of one instance, run by {@code /bin/sh} in the instance's work directory with its
 * stdout and stderr appended to the console log. Where {@code setsid} exists the script runs under a small
 * watchdog shell that leads a session (and process group) of its own, so that:
 * <ul>
 * <li>ending the instance also ends what it left in the background after its own process exited (a fail-safe
 * timer, a daemon): such processes are no longer its descendants, but they stay in its process group, as on a
 * real instance a shutdown ends everything;</li>
 * <li>the instance dies with the emulator however the emulator dies, {@code kill -9} included: the watchdog
 * waits on a pipe from this JVM, which the system closes when the JVM ends, and then ends its process group
 * (SIGTERM, five seconds, SIGKILL). It signals only its own group, never a pid that may have been reused.</li>
 * </ul>
 * The instance's own {@code shutdown}, {@code poweroff}, {@code halt} and {@code reboot} come first on its
 * {@code PATH} ({@link PowerCommands}).
 */
public final class InstanceProcess {
    static final String CONSOLE = "console.log";
    private static final long GRACE_SECONDS = 5;
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private final Process process;
    private final boolean ownGroup;

    private InstanceProcess(Process process, boolean ownGroup) {
        this.process = process;
        this.ownGroup = ownGroup;
    }

    /**
     * Ends the group once the pipe from the emulator closes. TERM is ignored from then on only by the watchdog
     * (and what it starts afterwards), so it lives to send the KILL; the user data was started before and keeps the
     * default.
     */
    private static final String WATCHDOG = "/bin/sh ./user-data </dev/null &\n"
            + "while read -r _; do :; done\n"
            + "trap '' TERM\n"
            + "kill -TERM 0\n"
            + "sleep " + GRACE_SECONDS + "\n"
            + "kill -KILL 0\n";

    static InstanceProcess start(Path directory, String script, Map<String, String> env) throws IOException {
        Path file = directory.resolve("user-data");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        PowerCommands.install(directory);
        // setsid does not fork here (the child of the JVM is no group leader), so the group id is the process id.
        boolean ownGroup = Files.isExecutable(SETSID);
        List<String> command = ownGroup ? List.of(SETSID.toString(), "/bin/sh", "-c", WATCHDOG)
                : List.of("/bin/sh", file.toString());
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve(CONSOLE).toFile()));
        // Without a group of its own a watchdog could only signal the emulator's group: no watchdog, no pipe.
        pb.redirectInput(ownGroup ? ProcessBuilder.Redirect.PIPE
                : ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // an instance must never see the caller's real AWS settings (profiles, session tokens), only the emulator's
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        pb.environment().putAll(env);
        String path = pb.environment().get("PATH");
        pb.environment().put("PATH", PowerCommands.binDirectory(directory)
                + (path == null || path.isEmpty() ? ":/usr/local/bin:/usr/bin:/bin" : ":" + path));
        return new InstanceProcess(pb.start(), ownGroup);
    }

    static String console(Path directory) {
        try {
            Path f = directory.resolve(CONSOLE);
            return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    public long pid() {
        return process.pid();
    }

    /** When the process started, as the system reports it: with the pid, what tells it from a reused pid. */
    Optional<Instant> startInstant() {
        return process.toHandle().info().startInstant();
    }

    /** True while its process group is this process's alone, so that signalling the group is safe. */
    boolean ownsGroup() {
        return ownGroup;
    }

    /** This process and every descendant still alive. */
    public List<ProcessHandle> tree() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.descendants().forEach(all::add);
        all.removeIf(h -> !h.isAlive());
        return all;
    }

    /**
     * Ends the whole tree as a shutdown does: SIGTERM to every process (children first, so a shell cannot
     * respawn them), a grace period, then SIGKILL to what is left.
     */
    void destroyTree() {
        List<ProcessHandle> all = new ArrayList<>();
        process.descendants().forEach(all::add);
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        signalGroup("TERM");
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                h.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                h.destroyForcibly();
            }
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        signalGroup("KILL");
        // Last: the watchdog, still waiting on it, would otherwise hold TERM off for its grace period.
        closePipe();
    }

    /** Closes the watchdog's pipe (it has ended with its group by now); frees the descriptor. */
    void closePipe() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Sends the signal to the instance's process group: also what was orphaned when its main process ended. */
    private void signalGroup(String signal) {
        if (ownGroup) {
            signalGroup(process.pid(), signal);
        }
    }

    /** {@code kill -s SIGNAL -- -GROUP}; false when kill(1) could not be run. */
    static boolean signalGroup(long group, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, "--", "-" + group)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
            return true;
        } catch (IOException e) {
            // No kill(1): what is left of the group outlives the instance, as before.
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
