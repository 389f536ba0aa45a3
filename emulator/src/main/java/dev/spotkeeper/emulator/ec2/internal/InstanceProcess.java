package dev.spotkeeper.emulator.ec2.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The user-data script of one instance, run by {@code /bin/sh} in the instance's work directory with its
 * stdout and stderr appended to the console log. Where {@code setsid} exists the script leads a session of its own,
 * so that ending the instance also ends what it left in the background after its own process exited (a fail-safe
 * timer, a daemon): such processes are no longer its descendants, but they stay in its process group, as on a
 * real instance a shutdown ends everything.
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

    static InstanceProcess start(Path directory, String script, Map<String, String> env) throws IOException {
        Path file = directory.resolve("user-data");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        // setsid does not fork here (the child of the JVM is no group leader), so the group id is the process id.
        boolean ownGroup = Files.isExecutable(SETSID);
        List<String> command = ownGroup ? List.of(SETSID.toString(), "/bin/sh", file.toString())
                : List.of("/bin/sh", file.toString());
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve(CONSOLE).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // an instance must never see the caller's real AWS settings (profiles, session tokens), only the emulator's
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        pb.environment().putAll(env);
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
    }

    /** Sends the signal to the instance's process group: also what was orphaned when its main process ended. */
    private void signalGroup(String signal) {
        if (!ownGroup) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, "--", "-" + process.pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            // No kill(1): what is left of the group outlives the instance, as before.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
