package dev.spotkeeper.emulator.services.sns;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.services.ServicesOptions;
import dev.spotkeeper.emulator.services.SqsComponent;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.EmulatorContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Amazon SNS at the edge (signing name {@code sns}), delivering to queues of the embedded SQS server and to HTTP
 * endpoints on this machine. Starts after SQS.
 */
public final class SnsComponent implements EmulatorComponent {
    private final ServicesOptions options;
    private SnsService service;
    private String endpoint;

    public SnsComponent(ServicesOptions options) {
        this.options = options;
    }

    @Override
    public void start(EmulatorContext context) {
        SqsComponent.SqsEndpoints sqs = context.lookup(SqsComponent.SqsEndpoints.class).orElseThrow(() ->
                SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "SNS needs the SQS component to start before it"));
        service = new SnsService(options.region(), options.accountId(), context.clock(), context.endpoint(),
                new Sender(sqs.direct()), context.seed() ^ 0x534E53L ^ System.nanoTime());
        context.register(SnsHandler.create(service, options.accountId()));
        endpoint = context.endpoint().toString();
    }

    @Override
    public List<String> describe() {
        return List.of("SNS:       " + endpoint + " (topics; subscriptions to SQS queues and to HTTP endpoints on this"
                + " machine)");
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    /** Delivery: SendMessage to the embedded SQS in its JSON protocol, and HTTP POSTs with the JDK's client. */
    private static final class Sender implements SnsService.Delivery {
        private final URI sqs;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        Sender(URI sqs) {
            this.sqs = sqs;
        }

        @Override
        public void toQueue(String queueArn, String body) {
            String name = queueArn.substring(queueArn.lastIndexOf(':') + 1);
            Object url = sqs("GetQueueUrl", Map.of("QueueName", name)).get("QueueUrl");
            if (!(url instanceof String u)) {
                throw new IllegalStateException("no queue " + name);
            }
            sqs("SendMessage", Map.of("QueueUrl", u, "MessageBody", body));
        }

        @Override
        public void toHttp(String url, Map<String, String> headers, String body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            headers.forEach(b::header);
            send(b.build());
        }

        private Map<String, Object> sqs(String action, Map<String, Object> request) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(sqs.resolve("/")).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-amz-json-1.0").header("X-Amz-Target", "AmazonSQS." + action)
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(request), StandardCharsets.UTF_8)).build());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("SQS " + action + " answered HTTP " + r.statusCode());
            }
            return r.body().isBlank() ? Map.of() : Json.parseObject(r.body());
        }

        private HttpResponse<String> send(HttpRequest request) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException(e.getClass().getSimpleName(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
