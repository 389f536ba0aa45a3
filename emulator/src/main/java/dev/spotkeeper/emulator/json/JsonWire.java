package dev.spotkeeper.emulator.json;

import com.sun.net.httpserver.HttpExchange;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.json.JsonException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The wire side the emulator's JSON services share (JSON 1.1 with {@code X-Amz-Target}, as Secrets Manager and
 * EventBridge speak it, and REST-JSON, as Lambda and FIS do): the request body as a JSON object, an answer with its
 * content type and request id, and an error with the {@code x-amzn-ErrorType} header the SDKs read the error code
 * from, and a query string's parameters. Each service keeps its own error body and its own exception for a refused
 * request; the emulator's own control paths answer through it too.
 */
public final class JsonWire {
    /** The content type of the JSON 1.1 protocol. */
    public static final String AMZ_JSON_1_1 = "application/x-amz-json-1.1";
    /** The content type of the REST-JSON protocol. */
    public static final String REST_JSON = "application/json";

    private JsonWire() {
    }

    /** The request's body as a JSON object ({@code {}} when empty); {@code badJson} makes the service's refusal. */
    public static Map<String, Object> body(HttpExchange exchange, Function<String, ? extends RuntimeException> badJson)
            throws IOException {
        String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        try {
            return Json.parseObject(text.isBlank() ? "{}" : text);
        } catch (JsonException e) {
            throw badJson.apply("The request body is not valid JSON: " + e.getMessage());
        }
    }

    /** The query string's parameters, decoded; a parameter without {@code =} is left out. */
    public static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (String part : raw.split("&")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    /** The string at {@code key}, or null when absent; {@code wrongType} makes the refusal of another type. */
    public static String string(Map<String, Object> in, String key,
                                Function<String, ? extends RuntimeException> wrongType) {
        Object v = in.get(key);
        if (v != null && !(v instanceof String)) {
            throw wrongType.apply(key + " must be a string.");
        }
        return (String) v;
    }

    /** Answers {@code body} as JSON with {@code status}; an empty body is sent without content. */
    public static void reply(HttpExchange exchange, int status, Map<String, Object> body, String contentType)
            throws IOException {
        byte[] bytes = body.isEmpty() && status == 204 ? new byte[0] : Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    /** Answers an error: {@code type} in {@code x-amzn-ErrorType}, and the service's own error body. */
    public static void error(HttpExchange exchange, int status, String type, Map<String, Object> body,
                             String contentType) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        reply(exchange, status, body, contentType);
    }
}
