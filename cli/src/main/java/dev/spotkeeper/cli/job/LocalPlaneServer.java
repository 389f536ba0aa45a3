package dev.spotkeeper.cli.job;

import dev.spotkeeper.cli.local.Connection;
import dev.spotkeeper.cli.local.LocalHome;
import dev.spotkeeper.cli.local.LocalPlane;
import dev.spotkeeper.cli.local.PlaneControl;
import dev.spotkeeper.cli.local.PlaneLock;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.emulator.LocalEmulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The local control plane itself: the emulator with its services and a resident controller in one process, its
 * connection file written once it answers and removed when it stops. What {@code local serve} runs in the
 * background and {@code spotkeeper controller} runs in the foreground when there is no AWS to run on.
 */
public final class LocalPlaneServer {
    private LocalPlaneServer() {
    }

    /**
     * Runs until SIGTERM, Ctrl-C or an interrupt; then terminates its instances and removes its files.
     *
     * @param runner runs the job commands other processes send ({@link PlaneControl}); null for none
     */
    public static int serve(LocalHome home, Duration interval, int port, Clock clock, PrintWriter out,
                            PlaneControl.Runner runner) {
        home.ensure();
        // Held for the life of the process (the system drops it when the process dies): of two planes started
        // at once in one directory, the second stops here instead of overwriting the first's connection file.
        Optional<PlaneLock> lock = PlaneLock.tryTake(home);
        if (lock.isEmpty()) {
            Optional<Connection> other = LocalPlane.running(home);
            throw SpotkeeperException.invalidArgument("a local control plane already runs"
                    + other.map(c -> " at " + c.endpoint() + " (pid " + c.pid() + ")").orElse(" or is starting")
                    + " in " + home.dir() + "; `spotkeeper local status` shows it, `spotkeeper local stop` stops it");
        }
        try (PlaneLock held = lock.get()) {
            // What an earlier plane left stays: its workloads, checkpoints and results are the user's. Its connection
            // file, if any, names a plane that is gone (it would hold the lock): this plane writes its own.
            deleteStale(home);
            run(home, startEmulator(home, port), interval, clock, out, runner);
            return 0;
        }
    }

    private static void run(LocalHome home, LocalEmulator emulator, Duration interval, Clock clock, PrintWriter out,
                            PlaneControl.Runner runner) {
        EmulatorBackend opened;
        try {
            opened = new EmulatorBackend(emulator);
        } catch (RuntimeException e) {
            emulator.close();
            throw e;
        }
        try (ResidentLoop loop = new ResidentLoop()) {
            try (EmulatorBackend backend = opened) {
                backend.warnings(line -> {
                    out.println(line);
                    out.flush();
                });
                // No long poll of the queue: the loop's own wait between passes paces the plane instead, and in it
                // the loop reconciles at once what a command asks for (cancel); an event waits for the next pass
                // either way.
                Controller controller = Jobs.controller(backend, backend.config().withReceiveWait(Duration.ZERO));
                controller.addListener(JournalFile.appender(home.journalFile()));
                controller.addListener(e -> {
                    out.println(e);
                    out.flush();
                });
                // Read before the first pass changes the store: what the previous plane held when it stopped.
                String found = PreviousPlane.of(backend.store(), emulator.ec2().earlierRun()).line();
                Connection plain = connection(emulator, backend, clock);
                PlaneControl control = runner == null ? null : control(home, backend, loop, plain, runner);
                Connection c = control == null ? plain : plain.withControl(control.endpoint(), control.token());
                // Logged before the connection file appears: `local start` reads the line once the file is there.
                out.println("spotkeeper local control plane at " + c.endpoint() + " (pid " + c.pid() + "); state in "
                        + home.dir() + "; events in " + home.journalFile());
                out.println(found);
                out.flush();
                c.write(home.connectionFile());
                try (Notifications notifications = Notifications.start(backend, controller, out)) {
                    loop.run(controller, interval, out);
                } finally {
                    if (control != null) {
                        control.close();
                        JobBackends.uninstall();
                    }
                    controller.close();
                    long live = live(emulator);
                    remove(home, c);
                    out.println("stopping: terminating " + live + " running instance(s); the workloads, their"
                            + " checkpoints and results are kept, and the next plane resumes the unfinished ones");
                    out.flush();
                }
            }
            out.println("spotkeeper local control plane stopped");
            out.flush();
        }
    }

    /**
     * The endpoint other processes send job commands to: they run here, against this plane's own backend (the
     * commands of this process all use it from now on), so a command pays for no SDK client and no call.
     */
    private static PlaneControl control(LocalHome home, EmulatorBackend backend, ResidentLoop loop, Connection c,
                                        PlaneControl.Runner runner) {
        InPlaneBackend shared = new InPlaneBackend(backend, home.journalFile(), loop::reconcileSoon,
                "the local control plane at " + c.endpoint() + " (pid " + c.pid() + ")");
        PlaneControl control;
        try {
            control = PlaneControl.start(runner, new SecureRandom());
        } catch (IOException e) {
            // The commands still reach the plane through the AWS adapters, only more slowly.
            return null;
        }
        JobBackends.install(options -> shared);
        return control;
    }

    private static LocalEmulator startEmulator(LocalHome home, int port) {
        try {
            return LocalEmulator.builder().port(port).seed(1).services(true).persistentState(true)
                    .workDirectory(home.workDirectory()).start();
        } catch (BindException e) {
            throw SpotkeeperException.invalidArgument("port " + port + " on 127.0.0.1 is in use; choose another with"
                    + " --port, or --port 0 for any free port");
        } catch (SpotkeeperException e) {
            throw e;
        } catch (Exception e) {
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "could not start the local emulator: " + e.getMessage(), e);
        }
    }

    private static Connection connection(LocalEmulator emulator, EmulatorBackend backend, Clock clock) {
        ProcessHandle self = ProcessHandle.current();
        return new Connection(emulator.endpoint().toString(), EmulatorBackend.REGION,
                emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey(), backend.queueUrl,
                PortsBackend.TABLE, self.pid(), self.info().startInstant().orElse(Instant.EPOCH), clock.instant());
    }

    /** Instances the emulator still holds: those closing it terminates. */
    private static long live(LocalEmulator emulator) {
        return emulator.instances().instances().stream()
                .filter(i -> !i.state().equals("terminated") && !i.state().equals("shutting-down")).count();
    }

    private static void deleteStale(LocalHome home) {
        try {
            Files.deleteIfExists(home.connectionFile());
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "cannot remove the connection file of a plane that"
                    + " is gone, " + home.connectionFile() + ": " + e.getMessage() + "; delete it by hand");
        }
    }

    private static void remove(LocalHome home, Connection c) {
        try {
            Optional<Connection> now = Connection.read(home.connectionFile());
            if (now.isPresent() && now.get().pid() == c.pid()) {
                Files.deleteIfExists(home.connectionFile());
            }
        } catch (IOException | SpotkeeperException e) {
            // a stale file is detected by the next command from its pid
        }
    }
}
