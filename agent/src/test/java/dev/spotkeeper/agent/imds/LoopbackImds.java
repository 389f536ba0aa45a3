package dev.spotkeeper.agent.imds;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A small IMDSv2 on 127.0.0.1 with the token rules of the real one: 401 without a valid token, 400 on a bad TTL. */
public final class LoopbackImds implements AutoCloseable {
    private final HttpServer server;
    private final Clock clock;
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    public final Map<String, String> metadata = new ConcurrentHashMap<>();
    /** Below {@code /latest/dynamic/}: the instance identity document. */
    public final Map<String, String> dynamic = new ConcurrentHashMap<>();
    public final AtomicInteger tokensIssued = new AtomicInteger();
    public final AtomicInteger unauthorized = new AtomicInteger();

    public LoopbackImds(Clock clock) throws IOException {
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/latest/", this::handle);
        server.start();
        metadata.put("instance-id", "i-0123456789abcdef0");
        metadata.put("instance-type", "m5.large");
        metadata.put("placement/availability-zone", "us-east-1c");
        metadata.put("placement/region", "us-east-1");
        dynamic.put("instance-identity/document", "{\"accountId\": \"123456789012\", \"region\": \"us-east-1\"}");
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** As if the service restarted: every token issued so far stops working. */
    public void revokeTokens() {
        tokens.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/latest/api/token") && exchange.getRequestMethod().equals("PUT")) {
            String ttl = exchange.getRequestHeaders().getFirst(ImdsClient.TOKEN_TTL_HEADER);
            int seconds;
            try {
                seconds = Integer.parseInt(ttl);
            } catch (NumberFormatException e) {
                seconds = 0;
            }
            if (seconds < 1 || seconds > 21600) {
                respond(exchange, 400, "");
                return;
            }
            String token = UUID.randomUUID().toString();
            tokens.put(token, clock.instant().plusSeconds(seconds));
            tokensIssued.incrementAndGet();
            respond(exchange, 200, token);
            return;
        }
        String token = exchange.getRequestHeaders().getFirst(ImdsClient.TOKEN_HEADER);
        Instant expiry = token == null ? null : tokens.get(token);
        if (expiry == null || !clock.instant().isBefore(expiry)) {
            unauthorized.incrementAndGet();
            respond(exchange, 401, "");
            return;
        }
        String value = path.startsWith("/latest/dynamic/") ? dynamic.get(path.substring("/latest/dynamic/".length()))
                : metadata.get(path.substring("/latest/meta-data/".length()));
        respond(exchange, value == null ? 404 : 200, value == null ? "" : value);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
