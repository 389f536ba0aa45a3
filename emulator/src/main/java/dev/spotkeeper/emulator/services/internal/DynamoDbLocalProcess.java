package dev.spotkeeper.emulator.services.internal;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * DynamoDB Local running in a child JVM whose classpath was resolved at build time (see
 * {@code emulator/dynamodb-local/pom.xml}). The child dies with the emulator: {@link #close()}, a shutdown
 * hook, and — should the emulator be killed outright — the end of its standard input.
 */
public final class DynamoDbLocalProcess implements AutoCloseable {
    private static final String CLASSPATH_RESOURCE = "/dev/spotkeeper/emulator/services/dynamodb-local.classpath";
    private static final long START_TIMEOUT_SECONDS = 90;

    private final Process process;
    private final URI endpoint;
    private final Thread shutdownHook;

    private DynamoDbLocalProcess(Process process, URI endpoint, Thread shutdownHook) {
        this.process = process;
        this.endpoint = endpoint;
        this.shutdownHook = shutdownHook;
    }

    public static DynamoDbLocalProcess start(Path workDirectory) throws IOException, InterruptedException {
        return start(workDirectory, null);
    }

    /** @param databaseDirectory where the tables are kept across restarts, or null to keep them in memory */
    public static DynamoDbLocalProcess start(Path workDirectory, Path databaseDirectory)
            throws IOException, InterruptedException {
        List<String> entries = classpathEntries();
        List<String> jars = new ArrayList<>();
        String nativeDirectory = null;
        for (String entry : entries) {
            if (entry.endsWith(".jar")) {
                jars.add(entry);
            } else if (entry.contains("libsqlite4java-linux-amd64") && entry.endsWith(".so")) {
                nativeDirectory = Path.of(entry).getParent().toString();
            }
        }
        Files.createDirectories(workDirectory);
        jars.add(launcherDirectory(workDirectory).toString());
        Path log = workDirectory.resolve("dynamodb-local.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        if (nativeDirectory != null) {
            command.add("-Dsqlite4java.library.path=" + nativeDirectory);
        }
        command.addAll(List.of("-cp", String.join(File.pathSeparator, jars), DynamoDbLocalLauncher.class.getName()));
        if (databaseDirectory != null) {
            Files.createDirectories(databaseDirectory);
            command.add(databaseDirectory.toAbsolutePath().toString());
        }
        Process process = new ProcessBuilder(command)
                .directory(workDirectory.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Thread hook = new Thread(process::destroyForcibly, "dynamodb-local-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            int port = awaitPort(process, log);
            return new DynamoDbLocalProcess(process, URI.create("http://127.0.0.1:" + port), hook);
        } catch (IOException | RuntimeException | InterruptedException e) {
            process.destroyForcibly();
            Runtime.getRuntime().removeShutdownHook(hook);
            throw e;
        }
    }

    private static List<String> classpathEntries() throws IOException {
        try (InputStream in = DynamoDbLocalProcess.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "DynamoDB Local's classpath (" + CLASSPATH_RESOURCE
                        + ") is missing from the emulator build; rebuild the emulator module with Maven");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            List<String> entries = new ArrayList<>();
            for (String entry : text.split(File.pathSeparator)) {
                if (!entry.isBlank() && !Files.exists(Path.of(entry))) {
                    throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "DynamoDB Local needs " + entry
                            + ", which is not in the local Maven repository; rebuild the emulator module with Maven");
                }
                entries.add(entry);
            }
            return entries;
        }
    }

    /**
     * Copies the launcher class alone into the work directory: putting the emulator's whole jar on the child's
     * classpath could bring S3Proxy's Jetty along when the emulator ships inside one combined jar.
     */
    private static Path launcherDirectory(Path workDirectory) throws IOException {
        String name = DynamoDbLocalLauncher.class.getName().replace('.', '/') + ".class";
        Path directory = workDirectory.resolve("dynamodb-local-launcher");
        Path file = directory.resolve(name);
        Files.createDirectories(file.getParent());
        try (InputStream in = DynamoDbLocalLauncher.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "the emulator build lacks " + name);
            }
            Files.write(file, in.readAllBytes());
        }
        return directory;
    }

    private static int awaitPort(Process process, Path log) throws IOException, InterruptedException {
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> readPort(process));
        try {
            return port.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "DynamoDB Local did not start within "
                    + START_TIMEOUT_SECONDS + " s; see " + log);
        }
    }

    private static int readPort(Process process) {
        try {
            BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith(DynamoDbLocalLauncher.PORT_LINE)) {
                    int port = Integer.parseInt(line.substring(DynamoDbLocalLauncher.PORT_LINE.length()).trim());
                    drain(reader);
                    return port;
                }
            }
            throw new IllegalStateException("DynamoDB Local exited before it listened");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keeps reading the child's output so that a full pipe never blocks it. */
    private static void drain(BufferedReader reader) {
        Thread t = new Thread(() -> {
            try {
                while (reader.readLine() != null) {
                    // discard: DynamoDB Local prints its banner here
                }
            } catch (IOException ignored) {
                // the child has gone
            }
        }, "dynamodb-local-output");
        t.setDaemon(true);
        t.start();
    }

    public URI endpoint() {
        return endpoint;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the pipe is already gone
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // already shutting down: the hook runs anyway
        }
    }
}
