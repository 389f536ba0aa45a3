package dev.spotkeeper.emulator.services.lambda;

import dev.spotkeeper.emulator.spi.FunctionInvoker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The emulator's Lambda functions: the Java API other emulator parts (its CloudFormation's
 * {@code AWS::Lambda::Function}) use, and what the wire API serves. Each function's code is kept under
 * {@code lambda/NAME} in the work directory and loaded once, at creation, in a class loader of its own.
 */
public final class LambdaFunctions implements FunctionInvoker, AutoCloseable {
    /** A function as GetFunction describes it. */
    public record Function(String name, String arn, String runtime, String handler, int timeoutSeconds,
                           int memorySize, Map<String, String> environment, long codeSize, Instant lastModified) {
    }

    /** One invocation's result: the payload, and whether it is the function's error. */
    public record Result(String payload, boolean failed) {
    }

    /** Refused: no such function. */
    public static final class NotFound extends RuntimeException {
        NotFound(String name) {
            super("Function not found: " + name);
        }
    }

    /** Refused: a function of that name exists. */
    public static final class Conflict extends RuntimeException {
        Conflict(String name) {
            super("Function already exist: " + name);
        }
    }

    private record Entry(Function function, LoadedFunction loaded) {
    }

    private final String region;
    private final String accountId;
    private final Clock clock;
    private final Path directory;
    private final Map<String, Entry> functions = new LinkedHashMap<>();
    private final ExecutorService async = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lambda-async");
        t.setDaemon(true);
        return t;
    });

    public LambdaFunctions(String region, String accountId, Clock clock, Path directory) {
        this.region = region;
        this.accountId = accountId;
        this.clock = clock;
        this.directory = directory;
    }

    /**
     * Creates a function from a jar or zip; {@link IllegalArgumentException} for what Lambda refuses with
     * InvalidParameterValueException (a bad name, runtime, timeout, or a handler that cannot be loaded).
     */
    public synchronized Function create(String name, String runtime, String handler, byte[] code, int timeoutSeconds,
                                        int memorySize, Map<String, String> environment) {
        if (name == null || !name.matches("[a-zA-Z0-9-_]{1,64}")) {
            throw new IllegalArgumentException("FunctionName must be 1 to 64 letters, digits, '-' or '_'");
        }
        if (functions.containsKey(name)) {
            throw new Conflict(arn(name));
        }
        if (runtime == null || !runtime.startsWith("java")) {
            throw new IllegalArgumentException("The emulator runs Java functions only (runtime java11, java17, java21),"
                    + " not " + runtime);
        }
        if (handler == null || handler.isBlank()) {
            throw new IllegalArgumentException("Handler is required: pkg.Class::method");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 900) {
            throw new IllegalArgumentException("Timeout must be between 1 and 900 seconds");
        }
        if (code == null || code.length == 0) {
            throw new IllegalArgumentException("Code is required (ZipFile, or S3Bucket and S3Key)");
        }
        Path home = directory.resolve(name);
        try {
            deleteTree(home);
            Files.createDirectories(home);
            Path jar = home.resolve("code.zip");
            Files.write(jar, code);
            LoadedFunction loaded = new LoadedFunction(name, handler, jar, home.resolve("unpacked"), environment,
                    timeoutSeconds * 1000L);
            Function f = new Function(name, arn(name), runtime, handler, timeoutSeconds, memorySize,
                    Map.copyOf(environment), code.length, clock.instant());
            functions.put(name, new Entry(f, loaded));
            return f;
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException("Could not unzip uploaded file: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized Optional<Function> get(String nameOrArn) {
        Entry e = functions.get(name(nameOrArn));
        return Optional.ofNullable(e == null ? null : e.function());
    }

    public synchronized List<Function> list() {
        List<Function> out = new ArrayList<>();
        functions.values().forEach(e -> out.add(e.function()));
        return out;
    }

    public synchronized void delete(String nameOrArn) {
        Entry e = functions.remove(name(nameOrArn));
        if (e == null) {
            throw new NotFound(arn(name(nameOrArn)));
        }
        e.loaded().close();
        deleteTree(directory.resolve(e.function().name()));
    }

    /** Invokes synchronously (RequestResponse); invocations of one function may run at once, as on Lambda. */
    public Result invoke(String nameOrArn, String payload) {
        Entry e;
        synchronized (this) {
            e = functions.get(name(nameOrArn));
        }
        if (e == null) {
            throw new NotFound(arn(name(nameOrArn)));
        }
        LoadedFunction.Outcome o = e.loaded().invoke(payload == null ? "" : payload);
        return new Result(o.payload(), o.failed());
    }

    @Override
    public boolean invokeAsync(String functionArn, String payload) {
        if (get(functionArn).isEmpty()) {
            return false;
        }
        async.submit(() -> invoke(functionArn, payload));
        return true;
    }

    private String arn(String name) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
    }

    /** A name, an ARN {@code arn:aws:lambda:R:A:function:NAME[:QUALIFIER]}, or {@code A:function:NAME}. */
    static String name(String nameOrArn) {
        String s = nameOrArn == null ? "" : nameOrArn;
        int at = s.indexOf(":function:");
        if (at < 0) {
            return s;
        }
        String rest = s.substring(at + ":function:".length());
        return rest.contains(":") ? rest.substring(0, rest.indexOf(':')) : rest;
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        async.shutdownNow();
        functions.values().forEach(e -> e.loaded().close());
        functions.clear();
    }
}
