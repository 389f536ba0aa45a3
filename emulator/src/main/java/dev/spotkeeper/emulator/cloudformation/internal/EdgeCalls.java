package dev.spotkeeper.emulator.cloudformation.internal;

import dev.spotkeeper.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls the emulator's own services through its edge, as a client would: the edge routes by the credential scope's
 * service name and checks no signature, so provisioning goes through the same handlers as users' calls.
 */
final class EdgeCalls {
    private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final Pattern MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");

    private final URI edge;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    EdgeCalls(URI edge) {
        this.edge = edge;
    }

    /** A query-protocol call (EC2, SNS); the answer's XML. */
    String query(String service, String region, Map<String, String> params) {
        StringBuilder form = new StringBuilder();
        params.forEach((k, v) -> form.append(form.isEmpty() ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        HttpRequest request = request(service, region, "/")
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString(), StandardCharsets.UTF_8)).build();
        return check(service + " " + params.get("Action"), send(request));
    }

    /** A JSON-1.0 call (DynamoDB, SQS). */
    Map<String, Object> json(String service, String region, String target, Map<String, Object> body) {
        HttpRequest request = request(service, region, "/").header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", target)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8)).build();
        String answer = check(target, send(request));
        return answer.isBlank() ? Map.of() : Json.parseObject(answer);
    }

    /** A REST call (S3): the status and body; throws on an error status. */
    String rest(String service, String region, String method, String path, String body) {
        HttpRequest request = request(service, region, path)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        return check(service + " " + method + " " + path, send(request));
    }

    /** A GET of an S3 object by its path {@code /bucket/key}. */
    HttpResponse<String> get(String path) {
        return send(request("s3", "us-east-1", path).GET().build());
    }

    private HttpRequest.Builder request(String service, String region, String path) {
        return HttpRequest.newBuilder(edge.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=cloudformation/20100515/" + region + "/"
                        + service + "/aws4_request, SignedHeaders=host, Signature=0");
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("the emulator's endpoint did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String check(String what, HttpResponse<String> r) {
        if (r.statusCode() / 100 == 2) {
            return r.body();
        }
        String body = r.body();
        String code = find(CODE, body);
        String message = find(MESSAGE, body);
        if (code == null && body.startsWith("{")) {
            try {
                Map<String, Object> m = Json.parseObject(body);
                Object type = m.get("__type");
                code = type == null ? null : type.toString().substring(type.toString().indexOf('#') + 1);
                Object msg = m.containsKey("message") ? m.get("message") : m.get("Message");
                message = msg == null ? null : msg.toString();
            } catch (RuntimeException e) {
                // not JSON after all: keep the status alone
            }
        }
        throw new IllegalStateException((message == null ? what + " failed" : message) + " (Service: " + what
                + ", Status Code: " + r.statusCode() + (code == null ? "" : ", Error Code: " + code) + ")");
    }

    private static String find(Pattern p, String body) {
        Matcher m = p.matcher(body);
        return m.find() ? m.group(1) : null;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
