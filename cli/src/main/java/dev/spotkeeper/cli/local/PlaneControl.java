package dev.spotkeeper.cli.local;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.spotkeeper.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local control plane's own endpoint for the job commands that only look (and {@code cancel}), on 127.0.0.1:
 * a command run in a fresh JVM would otherwise spend seconds building AWS SDK clients and making calls the plane
 * made long ago, just to print a few lines. The command line is sent here and run in the plane, against the
 * plane's own backend, and its output and exit code are sent back. Each request carries the secret from the
 * owner-only connection file; nothing else is accepted.
 */
public final class PlaneControl implements AutoCloseable {
    /** The commands a plane runs for others: those that read the plane's state, and cancel. */
    public static final Set<String> COMMANDS = Set.of("status", "list", "logs", "cost", "cancel", "endpoint");
    static final String PATH = "/v1/command";
    private static final int MAX_REQUEST = 64 * 1024;

    /** Runs one command line in the plane, writing to the given writers; returns its exit code. */
    @FunctionalInterface
    public interface Runner {
        int run(List<String> args, PrintWriter out, PrintWriter err);
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String token;
    private final Runner runner;

    private PlaneControl(HttpServer server, ExecutorService executor, String token, Runner runner) {
        this.server = server;
        this.executor = executor;
        this.token = token;
        this.runner = runner;
    }

    /** Starts the endpoint on a free port of 127.0.0.1 with a fresh secret. */
    public static PlaneControl start(Runner runner, SecureRandom random) throws IOException {
        requireNonNull(runner, "runner is null");
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "spotkeeper-plane-control");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        PlaneControl control = new PlaneControl(server, executor, token, runner);
        server.createContext(PATH, control::handle);
        server.start();
        return control;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String token() {
        return token;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod()) || !PATH.equals(ex.getRequestURI().getPath())) {
                reply(ex, 404, Map.of("error", "not found"));
                return;
            }
            if (!authorized(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 401, Map.of("error", "not authorized: the token is not this plane's"));
                return;
            }
            List<String> args = args(ex.getRequestBody());
            if (args.isEmpty() || !COMMANDS.contains(args.get(0))) {
                reply(ex, 400, Map.of("error", "the plane runs only " + String.join(", ", COMMANDS.stream().sorted()
                        .toList()) + " for other commands"));
                return;
            }
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code;
            try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
                code = runner.run(args, o, e);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("exit", code);
            result.put("out", out.toString());
            result.put("err", err.toString());
            reply(ex, 200, result);
        } catch (RuntimeException e) {
            reply(ex, 400, Map.of("error", "bad request: " + e.getMessage()));
        }
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        // Constant time: the comparison must not tell how much of a guessed token was right.
        return MessageDigest.isEqual(header.substring(7).getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> args(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_REQUEST + 1);
        if (bytes.length > MAX_REQUEST) {
            throw new IllegalArgumentException("request larger than " + MAX_REQUEST + " bytes");
        }
        Object list = Json.parseObject(new String(bytes, StandardCharsets.UTF_8)).get("args");
        List<String> args = new ArrayList<>();
        if (list instanceof List<?> l) {
            for (Object o : l) {
                args.add(String.valueOf(o));
            }
        }
        return args;
    }

    private static void reply(HttpExchange ex, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
