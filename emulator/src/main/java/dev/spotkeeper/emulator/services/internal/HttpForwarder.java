package dev.spotkeeper.emulator.services.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Relays one edge request (method, path, query, headers, body) to an embedded server and streams its answer
 * back. The embedded servers run without signature checks, so the Host header need not survive the hop.
 */
public final class HttpForwarder {
    /** Hop-by-hop headers and those {@link HttpClient} sets itself. */
    private static final Set<String> SKIPPED_REQUEST = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");
    private static final Set<String> SKIPPED_RESPONSE = Set.of("connection", "content-length",
            "transfer-encoding", "keep-alive", "date");

    private final URI target;
    private final HttpClient client;

    public HttpForwarder(URI target) {
        this.target = target;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public URI target() {
        return target;
    }

    public void forward(HttpExchange exchange) throws IOException {
        forward(exchange, null);
    }

    /**
     * A changed request body: {@code body} of {@code length} bytes replaces the one received, the headers named
     * in {@code dropHeaders} (lower case) are not relayed and {@code setHeaders} are added.
     */
    public record Rewrite(InputStream body, long length, Set<String> dropHeaders, Map<String, String> setHeaders) {
        public static Rewrite emptyBody() {
            return new Rewrite(InputStream.nullInputStream(), 0, Set.of(), Map.of());
        }
    }

    /**
     * A change to the answer before it is relayed: its headers (changed in place), and, when {@link #rewritesBody}
     * says so for its status, its whole body.
     */
    public interface ResponseRewrite {
        default void headers(Headers headers) {
        }

        default boolean rewritesBody(int status, Headers headers) {
            return false;
        }

        default byte[] body(byte[] body) {
            return body;
        }
    }

    /** Relays the request changed by {@code rewrite} (null relays it as received). */
    public void forward(HttpExchange exchange, Rewrite rewrite) throws IOException {
        forward(exchange, rewrite, null);
    }

    /** As {@link #forward(HttpExchange, Rewrite)}, the answer changed by {@code answer} (null: as received). */
    public void forward(HttpExchange exchange, Rewrite rewrite, ResponseRewrite answer) throws IOException {
        HttpResponse<InputStream> response;
        try {
            response = client.send(request(exchange, rewrite), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable(exchange, "interrupted while waiting for the embedded server");
            return;
        } catch (IOException e) {
            unavailable(exchange, "the embedded server at " + target + " did not answer: " + e.getMessage());
            return;
        }
        relay(exchange, response, answer);
    }

    private HttpRequest request(HttpExchange exchange, Rewrite rewrite) {
        URI uri = URI.create(target.toString() + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        HttpRequest.BodyPublisher body;
        if (rewrite != null) {
            body = rewrite.length() == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(rewrite::body), rewrite.length());
        } else if (length != null && !length.isBlank()) {
            long n = Long.parseLong(length.trim());
            body = n == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody), n);
        } else if (exchange.getRequestHeaders().containsKey("Transfer-encoding")) {
            body = HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody);
        } else {
            body = HttpRequest.BodyPublishers.noBody();
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMinutes(5))
                .method(exchange.getRequestMethod(), body);
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (SKIPPED_REQUEST.contains(name) || (rewrite != null && rewrite.dropHeaders().contains(name))) {
                continue;
            }
            for (String value : header.getValue()) {
                builder.header(header.getKey(), value);
            }
        }
        if (rewrite != null) {
            rewrite.setHeaders().forEach(builder::header);
        }
        return builder.build();
    }

    private static void relay(HttpExchange exchange, HttpResponse<InputStream> response, ResponseRewrite answer)
            throws IOException {
        Headers out = exchange.getResponseHeaders();
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !SKIPPED_RESPONSE.contains(name.toLowerCase(Locale.ROOT))) {
                out.put(name, values);
            }
        });
        int status = response.statusCode();
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1L);
        if (answer != null) {
            answer.headers(out);
            if (!"HEAD".equalsIgnoreCase(exchange.getRequestMethod()) && answer.rewritesBody(status, out)) {
                byte[] body;
                try (InputStream in = response.body()) {
                    body = answer.body(in.readAllBytes());
                }
                exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
                return;
            }
        }
        try (InputStream in = response.body()) {
            if ("HEAD".equalsIgnoreCase(exchange.getRequestMethod())) {
                // A HEAD answer carries the object's length but no body.
                response.headers().firstValue("Content-Length").ifPresent(v -> out.set("Content-Length", v));
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            if (status == 204 || status == 304 || length == 0) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, Math.max(length, 0));
            OutputStream body = exchange.getResponseBody();
            in.transferTo(body);
            body.flush();
        }
    }

    private static void unavailable(HttpExchange exchange, String message) throws IOException {
        byte[] bytes = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>ServiceUnavailable</Code><Message>"
                + message.replace("&", "&amp;").replace("<", "&lt;") + "</Message></Error>")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        exchange.sendResponseHeaders(503, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
