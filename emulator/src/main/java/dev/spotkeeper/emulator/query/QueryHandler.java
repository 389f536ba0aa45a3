package dev.spotkeeper.emulator.query;

import com.sun.net.httpserver.HttpExchange;
import dev.spotkeeper.core.Names;
import dev.spotkeeper.emulator.spi.ServiceHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service of the AWS query protocol behind the edge: form-encoded POST (or GET) with {@code Action} and
 * {@code Version}, XML out, every failure answered with the service's {@code ErrorResponse}.
 */
public final class QueryHandler implements ServiceHandler {
    private static final int MAX_BODY = 1 << 20;

    /** One call: the action, its parameters, the region it was signed for, and the id of the answer. */
    public record Call(String action, QueryParams params, String region, String requestId, String namespace) {
        public QueryXml response() {
            return QueryXml.response(action, namespace, requestId);
        }
    }

    private final String signingName;
    private final String version;
    private final String namespace;
    private final Pattern region;
    private final Map<String, Function<Call, String>> actions = new LinkedHashMap<>();

    public QueryHandler(String signingName, String version, String namespace) {
        this.signingName = signingName;
        this.version = version;
        this.namespace = namespace;
        this.region = Pattern.compile("Credential=[^/]+/\\d{8}/([^/]+)/" + Pattern.quote(signingName) + "/aws4_request");
    }

    public QueryHandler action(String name, Function<Call, String> handler) {
        actions.put(name, handler);
        return this;
    }

    public List<String> actions() {
        return List.copyOf(actions.keySet());
    }

    @Override
    public String service() {
        return signingName;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        int status = 200;
        String body;
        try {
            body = dispatch(exchange, requestId);
        } catch (QueryError e) {
            status = e.status();
            body = QueryXml.error(namespace, e, requestId);
        } catch (RuntimeException e) {
            QueryError internal = new QueryError("InternalFailure", 500, "The emulator failed on this request ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); it keeps serving others.");
            status = 500;
            body = QueryXml.error(namespace, internal, requestId);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml");
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private String dispatch(HttpExchange exchange, String requestId) throws IOException {
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readNBytes(MAX_BODY + 1);
        }
        if (raw.length > MAX_BODY) {
            throw QueryError.validation("The request body is larger than 1 MiB.");
        }
        Map<String, String> all = new LinkedHashMap<>(QueryParams.parseForm(exchange.getRequestURI().getRawQuery()));
        all.putAll(QueryParams.parseForm(new String(raw, StandardCharsets.UTF_8)));
        QueryParams params = new QueryParams(all);
        String action = params.get("Action").orElseThrow(() -> QueryError.sender("MissingAction",
                "The request must contain the parameter Action, e.g. Action=" + actions.keySet().iterator().next()
                        + "&Version=" + version + "."));
        Function<Call, String> handler = actions.get(action);
        if (handler == null) {
            List<String> near = Names.nearest(action, actions.keySet(), 3);
            throw QueryError.sender("InvalidAction", "Could not find operation " + action + " for version "
                    + params.get("Version").orElse(version) + "."
                    + (near.isEmpty() ? "" : " Did you mean: " + String.join(", ", near) + "?")
                    + " The emulator implements: " + String.join(", ", actions.keySet()) + ".");
        }
        return handler.apply(new Call(action, params, region(exchange), requestId, namespace));
    }

    private String region(HttpExchange exchange) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
            Matcher m = region.matcher(auth);
            if (m.find()) {
                return m.group(1);
            }
        }
        return "us-east-1";
    }
}
