package dev.spotkeeper.emulator.elb;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.elb.internal.ListenerLookupHandler;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks an emulator running in another process (a background local plane) where a load balancer's listener is
 * served on 127.0.0.1: its DNS name ({@code ….elb.localhost}) names no port. Empty when the emulator has no such
 * listener or does not answer.
 */
public final class ListenerLookup {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private ListenerLookup() {
    }

    public static Optional<URI> listenerUrl(URI endpoint, String loadBalancerArn, int port) {
        URI uri = URI.create(endpoint.resolve(ListenerLookupHandler.PATH) + "?arn="
                + URLEncoder.encode(loadBalancerArn, StandardCharsets.UTF_8) + "&port=" + port);
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                return Optional.empty();
            }
            Object url = Json.parseObject(answer.body()).get("url");
            return url instanceof String s ? Optional.of(URI.create(s)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
