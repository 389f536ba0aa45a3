package dev.spotkeeper.cli.local;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The local control plane seen from the commands: finding the running one (and removing the connection file of
 * one that died), starting one in the background, stopping it. The plane itself is {@code local serve}.
 */
public final class LocalPlane {
    private static final Duration POLL = Duration.ofMillis(100);

    private LocalPlane() {
    }

    /** How a plane is started. */
    public record StartOptions(Duration interval, int port, Duration readyWithin) {
        public StartOptions {
            requireNonNull(interval, "interval is null");
            requireNonNull(readyWithin, "readyWithin is null");
        }

        public static StartOptions defaults() {
            return new StartOptions(Duration.ofSeconds(1), 0, Duration.ofSeconds(90));
        }
    }

    /** The running plane, if any; a connection file left by a plane that is gone is removed on the way. */
    public static Optional<Connection> running(LocalHome home) {
        removeStale(home);
        return Connection.read(home.connectionFile());
    }

    /** Removes the connection file when its process is gone; returns what it said, for people to be told. */
    public static Optional<Connection> removeStale(LocalHome home) {
        Optional<Connection> c = Connection.read(home.connectionFile());
        if (c.isEmpty() || alive(home, c.get())) {
            return Optional.empty();
        }
        deleteIfStillNames(home, c.get());
        return c;
    }

    /**
     * True when the plane's process lives and the home's lock is held ({@link PlaneLock}): the system drops the lock
     * when the plane dies, so a reused pid does not pass. The start time the plane wrote is not compared: two
     * processes can compute different start times for one process.
     */
    public static boolean alive(LocalHome home, Connection c) {
        Optional<ProcessHandle> h = ProcessHandle.of(c.pid());
        return h.isPresent() && h.get().isAlive() && PlaneLock.held(home);
    }

    /** A plane that answers, and what it said it found of the previous one (empty when it was already running). */
    public record Started(Connection connection, Optional<String> found) {
        public Started {
            requireNonNull(connection, "connection is null");
            requireNonNull(found, "found is null");
        }
    }

    /**
     * Starts {@code spotkeeper local serve} from this same class path in the background, its output appended to the
     * log file (what an earlier plane logged, a crash included, stays there), and waits until it has written the
     * connection file and its endpoint answers.
     */
    public static Started start(LocalHome home, StartOptions options) {
        home.ensure();
        Optional<Connection> already = running(home);
        if (already.isPresent()) {
            return new Started(already.get(), Optional.empty());
        }
        long logStart = size(home.logFile());
        Process process;
        try {
            process = new ProcessBuilder(command(home, options)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(home.logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "could not start the local control plane: "
                    + e.getMessage(), e);
        }
        Connection c = awaitReady(home, process, options.readyWithin());
        return new Started(c, foundLine(home, logStart));
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The plane's own line on what it found of its predecessor, from what it logged in this start. */
    private static Optional<String> foundLine(LocalHome home, long from) {
        try (RandomAccessFile f = new RandomAccessFile(home.logFile().toFile(), "r")) {
            long length = f.length();
            byte[] bytes = new byte[(int) Math.max(0, Math.min(length - from, 1 << 20))];
            f.seek(Math.min(from, length));
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("found ")).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static List<String> command(LocalHome home, StartOptions options) {
        List<String> cmd = new ArrayList<>();
        // A session of its own: closing the terminal that started it does not hang it up.
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(s -> !s.isEmpty()).map(s -> Path.of(s).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator)));
        cmd.add("-D" + LocalHome.PROPERTY + "=" + home.dir());
        cmd.add("dev.spotkeeper.cli.Main");
        cmd.addAll(List.of("local", "serve", "--interval", String.valueOf(options.interval().toMillis() / 1000.0),
                "--port", String.valueOf(options.port())));
        return cmd;
    }

    private static Connection awaitReady(LocalHome home, Process process, Duration wait) {
        long giveUp = System.nanoTime() + wait.toNanos();
        while (true) {
            Optional<Connection> c = readQuietly(home);
            if (c.isPresent() && c.get().pid() == process.pid() && answers(c.get().endpoint())) {
                return c.get();
            }
            if (!process.isAlive()) {
                throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "the local control plane exited while starting"
                        + " (exit code " + process.exitValue() + ")" + logTail(home));
            }
            if (System.nanoTime() - giveUp > 0) {
                destroyTree(process.toHandle(), Duration.ofSeconds(10));
                throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "the local control plane did not come up within "
                        + wait.toSeconds() + " s, so it was stopped" + logTail(home));
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                destroyTree(process.toHandle(), Duration.ofSeconds(10));
                Thread.currentThread().interrupt();
                throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "interrupted while the local control plane started;"
                        + " it was stopped");
            }
        }
    }

    private static Optional<Connection> readQuietly(LocalHome home) {
        try {
            return Connection.read(home.connectionFile());
        } catch (SpotkeeperException e) {
            return Optional.empty();
        }
    }

    static boolean answers(String endpoint) {
        URI uri = URI.create(endpoint);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The end of the plane's log, for an error message: what it said before it failed. */
    static String logTail(LocalHome home) {
        try {
            List<String> lines = Files.readAllLines(home.logFile(), StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return "; its log " + home.logFile() + " is empty";
            }
            List<String> tail = lines.subList(Math.max(0, lines.size() - 15), lines.size());
            return "; the end of its log " + home.logFile() + ":\n  " + String.join("\n  ", tail);
        } catch (IOException | UncheckedIOException e) {
            return "; its log " + home.logFile() + " cannot be read: " + e.getMessage();
        }
    }

    /**
     * Stops the running plane: SIGTERM, so it terminates its instances and removes its connection file; after
     * {@code wait} it is killed, with everything it had started. Empty when none was running.
     */
    public static Optional<Connection> stop(LocalHome home, Duration wait) {
        Optional<Connection> c = running(home);
        if (c.isEmpty()) {
            return c;
        }
        ProcessHandle.of(c.get().pid()).ifPresent(h -> destroyTree(h, wait));
        deleteIfStillNames(home, c.get());
        return c;
    }

    private static void destroyTree(ProcessHandle h, Duration wait) {
        // Taken first: once the plane is gone its children are no longer its descendants.
        List<ProcessHandle> tree = h.descendants().toList();
        h.destroy();
        try {
            h.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            h.destroyForcibly();
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException ignored) {
                // reported below by the caller's check of the process
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static void deleteIfStillNames(LocalHome home, Connection c) {
        try {
            Optional<Connection> now = readQuietly(home);
            if (now.isPresent() && now.get().pid() == c.pid()) {
                Files.deleteIfExists(home.connectionFile());
            }
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "cannot remove " + home.connectionFile() + ": "
                    + e.getMessage());
        }
    }
}
