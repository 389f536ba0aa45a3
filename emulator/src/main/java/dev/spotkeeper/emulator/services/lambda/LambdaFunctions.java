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
    private final java.net.URI endpoint;
    private final java.security.SecureRandom keys = new java.security.SecureRandom();
    private final Map<String, Entry> functions = new LinkedHashMap<>();
    private final ExecutorService async = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lambda-async");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param endpoint the emulator's edge, which each function gets as {@code AWS_ENDPOINT_URL} (so its SDK clients
     *     call the emulator), or null for none
     */
    public LambdaFunctions(String region, String accountId, Clock clock, Path directory, java.net.URI endpoint) {
        this.region = region;
        this.accountId = accountId;
        this.clock = clock;
        this.directory = directory;
        this.endpoint = endpoint;
    }

    /** Variables Lambda sets itself and refuses in a function's configuration. */
    static final List<String> RESERVED = List.of("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV",
            "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API",
            "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "_HANDLER");

    /**
     * What the function's code sees as its environment, as Lambda gives it: its configured variables, and those the
     * runtime sets (region, name, memory, version, the execution environment, and credentials of its own, as
     * Lambda gives a function its role's session: fresh random keys, since the emulator checks no signature), plus
     * {@code AWS_ENDPOINT_URL}, the emulator's edge, unless the function sets it.
     */
    private Map<String, String> runtimeEnvironment(String name, String runtime, String handler, int memorySize,
                                                   Map<String, String> configured) {
        Map<String, String> env = new LinkedHashMap<>(configured);
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + runtime);
        env.put("AWS_LAMBDA_FUNCTION_NAME", name);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memorySize));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("_HANDLER", handler);
        env.put("AWS_ACCESS_KEY_ID", "ASIA" + draw(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"));
        env.put("AWS_SECRET_ACCESS_KEY", draw(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+"));
        env.put("AWS_SESSION_TOKEN", draw(64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+"));
        if (endpoint != null) {
            env.putIfAbsent("AWS_ENDPOINT_URL", endpoint.toString());
        }
        return env;
    }

    private String draw(int n, String alphabet) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(keys.nextInt(alphabet.length())));
        }
        return sb.toString();
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
        List<String> reserved = environment.keySet().stream().filter(RESERVED::contains).sorted().toList();
        if (!reserved.isEmpty()) {
            throw new IllegalArgumentException("Lambda was unable to configure your environment variables because the"
                    + " environment variables you have provided contains reserved keys that are currently not"
                    + " supported for modification. Reserved keys used in this request: " + String.join(", ", reserved));
        }
        Path home = directory.resolve(name);
        try {
            deleteTree(home);
            Files.createDirectories(home);
            Path jar = home.resolve("code.zip");
            Files.write(jar, code);
            LoadedFunction loaded = new LoadedFunction(name, handler, jar, home.resolve("unpacked"),
                    runtimeEnvironment(name, runtime, handler, memorySize, environment), timeoutSeconds * 1000L);
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

    /**
     * A name, {@code NAME:QUALIFIER}, an ARN {@code arn:aws:lambda:R:A:function:NAME[:QUALIFIER]}, or
     * {@code A:function:NAME}; a qualifier (version or alias) names the function's one code here.
     */
    static String name(String nameOrArn) {
        String s = nameOrArn == null ? "" : nameOrArn;
        int at = s.indexOf(":function:");
        if (at < 0) {
            return s.contains(":") ? s.substring(0, s.indexOf(':')) : s;
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
