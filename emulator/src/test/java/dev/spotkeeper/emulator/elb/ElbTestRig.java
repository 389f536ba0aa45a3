package dev.spotkeeper.emulator.elb;

import com.sun.net.httpserver.HttpServer;
import dev.spotkeeper.emulator.LocalEmulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** SDK clients for an emulator, and small HTTP servers that stand for targets. */
final class ElbTestRig {
    static final String REGION = "us-east-1";

    private ElbTestRig() {
    }

    static StaticCredentialsProvider credentials(LocalEmulator emulator) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(emulator.credentials().accessKeyId(),
                emulator.credentials().secretAccessKey()));
    }

    static ElasticLoadBalancingV2Client elb(LocalEmulator emulator) {
        return ElasticLoadBalancingV2Client.builder().endpointOverride(emulator.endpoint()).region(Region.of(REGION))
                .credentialsProvider(credentials(emulator)).httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** A target: answers {@code /} with its name and {@code /health} with the status it is told. */
    static final class Backend implements AutoCloseable {
        final String name;
        final AtomicInteger healthStatus = new AtomicInteger(200);
        final AtomicInteger served = new AtomicInteger();
        private final HttpServer server;

        Backend(String name) throws IOException {
            this.name = name;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/", ex -> {
                boolean health = ex.getRequestURI().getPath().equals("/health");
                byte[] body = (health ? "ok" : name).getBytes(StandardCharsets.UTF_8);
                if (!health) {
                    served.incrementAndGet();
                }
                ex.sendResponseHeaders(health ? healthStatus.get() : 200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
