package dev.spotkeeper.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.spotkeeper.emulator.spi.ServiceHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP endpoint on 127.0.0.1 for every emulated service, routed by the SigV4 signing name found in the
 * {@code Authorization} header or a presigned URL's {@code X-Amz-Credential}; JSON-1.0 targets
 * ({@code X-Amz-Target: DynamoDB_20120810.…}, {@code AmazonSQS.…}) and Secrets Manager's JSON-1.1 targets
 * ({@code secretsmanager.…}) route without one, and the emulator's own paths
 * under {@code /_spotkeeper/} (its market control and advisor feed) by their path.
 */
public final class EdgeServer implements AutoCloseable {
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/[^/]+/([^/]+)/aws4_request");
    private static final Pattern QUERY_SCOPE = Pattern.compile("X-Amz-Credential=[^&]*?(?:/|%2F)\\d{8}(?:/|%2F)[^/%]+(?:/|%2F)([^/%&]+)(?:/|%2F)aws4_request", Pattern.CASE_INSENSITIVE);

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, ServiceHandler> handlers = new ConcurrentHashMap<>();

    public EdgeServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "emulator-edge");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::route);
    }

    public void start() {
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void register(ServiceHandler handler) {
        handlers.put(handler.service(), handler);
    }

    static String serviceOf(HttpExchange ex) {
        // The emulator's own paths (market control, the advisor feed): no S3 bucket name starts with an underscore.
        if (ex.getRequestURI().getRawPath().startsWith("/_spotkeeper/load-balancers/")) {
            return "spotkeeper-elb";
        }
        if (ex.getRequestURI().getRawPath().startsWith("/_spotkeeper/")) {
            return "spotkeeper";
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
            Matcher m = SCOPE.matcher(auth);
            if (m.find()) {
                return m.group(1);
            }
        }
        String query = ex.getRequestURI().getRawQuery();
        if (query != null) {
            Matcher m = QUERY_SCOPE.matcher(query);
            if (m.find()) {
                return m.group(1);
            }
        }
        String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null) {
            if (target.startsWith("DynamoDB")) {
                return "dynamodb";
            }
            if (target.startsWith("AmazonSQS")) {
                return "sqs";
            }
            if (target.startsWith("secretsmanager.")) {
                return "secretsmanager";
            }
        }
        return "s3";
    }

    private void route(HttpExchange ex) throws IOException {
        try {
            String service = serviceOf(ex);
            ServiceHandler h = handlers.get(service);
            if (h == null) {
                reply(ex, 400, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>InvalidAction</Code><Message>"
                        + "The service '" + service + "' is not emulated; emulated services: " + handlers.keySet()
                        + "</Message></Error></Errors><RequestID>edge</RequestID></Response>");
                return;
            }
            h.handle(ex);
        } catch (RuntimeException e) {
            reply(ex, 500, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>InternalError</Code><Message>"
                    + e.getClass().getSimpleName() + "</Message></Error></Errors><RequestID>edge</RequestID></Response>");
        } finally {
            ex.close();
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/xml");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
