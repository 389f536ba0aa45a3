package dev.spotkeeper.emulator.services.events;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The few SQS calls event delivery and Lambda's event-source mappings need, in the SQS JSON protocol, straight to the
 * embedded server.
 */
public final class SqsJsonClient {
    private final URI endpoint;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public SqsJsonClient(URI endpoint) {
        this.endpoint = endpoint;
    }

    public String createQueue(String name, Map<String, String> attributes) {
        Object url = call("CreateQueue", Map.of("QueueName", name, "Attributes", attributes)).get("QueueUrl");
        if (!(url instanceof String s)) {
            throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "the embedded SQS server returned no queue URL for "
                    + name);
        }
        return s;
    }

    public String queueUrl(String name) {
        Object url = call("GetQueueUrl", Map.of("QueueName", name)).get("QueueUrl");
        if (!(url instanceof String s)) {
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "no queue named " + name);
        }
        return s;
    }

    public void sendMessage(String queueUrl, String body) {
        call("SendMessage", Map.of("QueueUrl", queueUrl, "MessageBody", body));
    }

    /** Up to {@code max} messages (1 to 10), waiting at most {@code waitSeconds}; each a map as SQS returns it. */
    @SuppressWarnings("unchecked")
    public java.util.List<Map<String, Object>> receive(String queueUrl, int max, int waitSeconds) {
        Object messages = call("ReceiveMessage", Map.of("QueueUrl", queueUrl, "MaxNumberOfMessages", max,
                "WaitTimeSeconds", waitSeconds, "AttributeNames", java.util.List.of("All"))).get("Messages");
        java.util.List<Map<String, Object>> out = new java.util.ArrayList<>();
        if (messages instanceof java.util.List<?> list) {
            list.forEach(m -> out.add((Map<String, Object>) m));
        }
        return out;
    }

    public void deleteMessage(String queueUrl, String receiptHandle) {
        call("DeleteMessage", Map.of("QueueUrl", queueUrl, "ReceiptHandle", receiptHandle));
    }

    private Map<String, Object> call(String action, Map<String, Object> request) {
        HttpRequest http = HttpRequest.newBuilder(endpoint.resolve("/"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "AmazonSQS." + action)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(request), StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = client.send(http, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "SQS " + action + " failed with HTTP "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body().isBlank() ? Map.of() : Json.parseObject(response.body());
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "SQS " + action + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "interrupted during SQS " + action, e);
        }
    }
}
