package dev.spotkeeper.emulator.ec2.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.spotkeeper.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * The instance metadata service of one instance, on its own 127.0.0.1 port (the instance finds it through
 * {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}). IMDSv2 as AWS documents it: {@code PUT /latest/api/token} with a
 * TTL of 1–21600 s, then GETs carrying the token; with {@code HttpTokens=optional} a GET without a token is
 * served too, but a wrong or expired token is refused either way. Token expiry follows the emulator's clock.
 */
public final class ImdsServer implements AutoCloseable {
    static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
    static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
    private static final int MAX_TTL = 21_600;

    private final HttpServer server;
    private final Clock clock;
    private final ImdsPaths paths;
    private final boolean tokensRequired;
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    ImdsServer(Clock clock, ImdsPaths paths, boolean tokensRequired, ExecutorService executor) throws IOException {
        this.clock = clock;
        this.paths = paths;
        this.tokensRequired = tokensRequired;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals("/latest/api/token")) {
                if (!method.equals("PUT")) {
                    reply(ex, 405, "text/plain", "");
                    return;
                }
                issueToken(ex);
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                reply(ex, 405, "text/plain", "");
                return;
            }
            if (!authorised(ex.getRequestHeaders().getFirst(TOKEN_HEADER))) {
                reply(ex, 401, "text/plain", "");
                return;
            }
            ImdsPaths.Answer answer = paths.answer(path);
            reply(ex, answer == null ? 404 : 200, answer == null ? "text/html" : answer.contentType(),
                    answer == null ? notFound() : answer.body());
        } catch (RuntimeException e) {
            reply(ex, 500, "text/plain", "");
        } finally {
            ex.close();
        }
    }

    private void issueToken(HttpExchange ex) throws IOException {
        String ttlText = ex.getRequestHeaders().getFirst(TTL_HEADER);
        int ttl;
        try {
            ttl = ttlText == null ? -1 : Integer.parseInt(ttlText.trim());
        } catch (NumberFormatException e) {
            ttl = -1;
        }
        if (ttl < 1 || ttl > MAX_TTL) {
            reply(ex, 400, "text/plain", "");
            return;
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        tokens.put(token, now.plusSeconds(ttl));
        tokens.values().removeIf(expiry -> !expiry.isAfter(now));
        ex.getResponseHeaders().set(TTL_HEADER, Integer.toString(ttl));
        reply(ex, 200, "text/plain", token);
    }

    private boolean authorised(String token) {
        if (token == null) {
            return !tokensRequired;
        }
        Instant expiry = tokens.get(token);
        return expiry != null && clock.instant().isBefore(expiry);
    }

    private static String notFound() {
        return "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<html><head><title>404 - Not Found</title></head>"
                + "<body><h1>404 - Not Found</h1></body></html>\n";
    }

    private static void reply(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Server", "EC2ws");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    static String json(Object value) {
        return Json.write(value);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
