package dev.spotkeeper.emulator.elb.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One HAProxy process, the data plane of one load balancer: started from a configuration file, driven through its
 * runtime API on a unix socket. It runs under a small watchdog shell that leads a process group of its own and
 * waits on a pipe from this JVM: when the pipe closes (the emulator closes, or its JVM dies, {@code kill -9}
 * included) the watchdog ends its group, HAProxy with it.
 */
final class Haproxy implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/haproxy");
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    /** TERM to the group once the pipe closes; KILL three seconds later if HAProxy is still there. */
    private static final String WATCHDOG = "\"$0\" -f \"$1\" -db </dev/null &\n"
            + "hp=$!\n"
            + "while read -r _; do :; done\n"
            + "trap '' TERM\n"
            + "kill -TERM 0\n"
            + "(sleep 3; kill -KILL 0) &\n"
            + "wait $hp\n"
            + "kill -KILL 0\n";

    private final Process process;
    private final boolean watchdog;
    private final Path socket;
    private final Path log;

    private Haproxy(Process process, boolean watchdog, Path socket, Path log) {
        this.process = process;
        this.watchdog = watchdog;
        this.socket = socket;
        this.log = log;
    }

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts HAProxy on {@code config} and waits until its runtime socket answers. */
    static Haproxy start(Path config, Path socket, Path log) throws IOException {
        Files.deleteIfExists(socket);
        boolean watchdog = Files.isExecutable(SETSID);
        List<String> command = watchdog
                ? List.of(SETSID.toString(), "/bin/sh", "-c", WATCHDOG, BINARY.toString(), config.toString())
                : List.of(BINARY.toString(), "-f", config.toString(), "-db");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.redirectInput(watchdog ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Haproxy h = new Haproxy(pb.start(), watchdog, socket, log);
        Instant begun = Instant.now();
        Instant deadline = begun.plus(START_TIMEOUT);
        while (true) {
            if (Files.exists(socket)) {
                try {
                    h.command("show info");
                    return h;
                } catch (IOException notYet) {
                    // the socket file appears a moment before HAProxy accepts on it
                }
            }
            boolean gone = !h.process.isAlive() || (watchdog && Instant.now().isAfter(begun.plusMillis(300))
                    && h.haproxyProcess().isEmpty());
            if (gone || Instant.now().isAfter(deadline)) {
                h.close();
                throw new IOException("HAProxy did not start: " + tail(log));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                h.close();
                throw new IOException("interrupted while HAProxy started", e);
            }
        }
    }

    /** One runtime API command; returns HAProxy's answer. */
    synchronized String command(String line) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.shutdownOutput();
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            StringBuilder out = new StringBuilder();
            while (ch.read(buf) >= 0) {
                buf.flip();
                out.append(StandardCharsets.UTF_8.decode(buf));
                buf.clear();
            }
            return out.toString();
        }
    }

    /** A command whose answer must not report an error (HAProxy answers errors as text, not as status). */
    void expect(String line) throws IOException {
        String answer = command(line).trim();
        String lower = answer.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("error") || lower.startsWith("unknown") || lower.contains("no such") || lower.contains("not found")
                || lower.contains("require") || lower.contains("cannot")) {
            throw new IOException("HAProxy refused '" + line + "': " + answer);
        }
    }

    /** The {@code show stat} rows of a backend's servers: server name → (column → value). */
    Map<String, Map<String, String>> serverStats(String backend) throws IOException {
        String[] lines = command("show stat").split("\n");
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        if (lines.length == 0 || !lines[0].startsWith("# ")) {
            return out;
        }
        String[] header = lines[0].substring(2).split(",", -1);
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            if (cells.length < 2 || !cells[0].equals(backend) || cells[1].equals("BACKEND") || cells[1].equals("FRONTEND")) {
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.length && c < cells.length; c++) {
                row.put(header[c], cells[c]);
            }
            out.put(cells[1], row);
        }
        return out;
    }

    boolean alive() {
        return process.isAlive();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            List<String> last = new ArrayList<>(lines.subList(Math.max(0, lines.size() - 5), lines.size()));
            return last.isEmpty() ? "no output (see " + log + ")" : String.join(" | ", last);
        } catch (IOException e) {
            return "see " + log;
        }
    }

    /** Ends HAProxy (through the watchdog: closing the pipe ends the group) and waits for it. */
    @Override
    public void close() {
        closePipe();
        if (!watchdog) {
            process.destroy();
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** What the system does when this JVM dies: the watchdog's pipe closes, and it ends HAProxy. */
    void closePipe() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** HAProxy's own process (the watchdog's child), or the process itself when there is no watchdog. */
    java.util.Optional<ProcessHandle> haproxyProcess() {
        if (!watchdog) {
            return java.util.Optional.of(process.toHandle());
        }
        return process.children().filter(h -> h.info().command().map(c -> c.endsWith("haproxy")).orElse(false))
                .findFirst();
    }

    Path log() {
        return log;
    }
}
