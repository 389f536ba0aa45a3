package dev.spotkeeper.awsclient;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.time.Duration;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

class SdkClientsTest {
    @Test
    void putOverPlainHttp_sendsTheBodyAsUnsignedPayload_inOneSignedRequest() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<Headers> headers = new CopyOnWriteArrayList<>();
        List<byte[]> bodies = new CopyOnWriteArrayList<>();
        server.createContext("/", exchange -> {
            headers.add(exchange.getRequestHeaders());
            bodies.add(exchange.getRequestBody().readAllBytes());
            exchange.getResponseHeaders().add("ETag", "\"0\"");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        byte[] data = new byte[100_000];
        new Random(3).nextBytes(data);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKTEST", UUID.randomUUID().toString()));
        ClientSettings settings = ClientSettings.fromEnvironment(Map.of(
                "AWS_ENDPOINT_URL", "http://127.0.0.1:" + server.getAddress().getPort(), "AWS_REGION", "us-east-1"), credentials);
        try (SdkHttpClient http = SdkClients.urlConnectionHttp(Duration.ofSeconds(10));
             S3Client s3 = SdkClients.s3(settings, http)) {
            s3.putObject(b -> b.bucket("bucket").key("ckpt/chunk"), RequestBody.fromBytes(data));
        } finally {
            server.stop(0);
        }

        assertThat(headers).singleElement().satisfies(h -> {
            assertThat(h.getFirst("x-amz-content-sha256")).isEqualTo("UNSIGNED-PAYLOAD");
            assertThat(h.getFirst("Authorization")).startsWith("AWS4-HMAC-SHA256 ").contains("x-amz-content-sha256");
            assertThat(h.getFirst("Content-Encoding")).isNull();
        });
        assertThat(bodies).singleElement().isEqualTo(data);
    }

    @Test
    void settingsFromTheEnvironment_readTheEndpointAndRegionLikeTheAwsCli() {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKTEST", UUID.randomUUID().toString()));

        ClientSettings local = ClientSettings.fromEnvironment(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:4566",
                "AWS_DEFAULT_REGION", "eu-west-1"), credentials);
        ClientSettings both = ClientSettings.fromEnvironment(Map.of("AWS_REGION", "ap-south-1",
                "AWS_DEFAULT_REGION", "eu-west-1"), credentials);
        ClientSettings none = ClientSettings.fromEnvironment(Map.of("AWS_ENDPOINT_URL", " "), credentials);

        assertThat(local.endpointOverride()).contains(java.net.URI.create("http://127.0.0.1:4566"));
        assertThat(local.region()).isEqualTo("eu-west-1");
        assertThat(local.endpointFor("s3")).isEqualTo("http://127.0.0.1:4566");
        assertThat(both.region()).isEqualTo("ap-south-1");
        assertThat(none.endpointOverride()).isEmpty();
        assertThat(none.region()).isEqualTo("us-east-1");
        assertThat(none.endpointFor("ec2")).isEqualTo("https://ec2.us-east-1.amazonaws.com");
        assertThat(none.callTimeoutIfSet()).isEmpty();
    }

    @Test
    void configure_appliesRegionEndpointAndAttemptsToAnyClient() {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKTEST", UUID.randomUUID().toString()));
        ClientSettings settings = new ClientSettings(java.net.URI.create("http://127.0.0.1:9"), "eu-central-1",
                credentials, 5, Duration.ofSeconds(7));

        try (SdkHttpClient http = SdkClients.urlConnectionHttp(Duration.ofSeconds(1));
             S3Client s3 = SdkClients.s3(settings, http)) {
            var config = s3.serviceClientConfiguration();
            assertThat(config.region().id()).isEqualTo("eu-central-1");
            assertThat(config.endpointOverride()).contains(java.net.URI.create("http://127.0.0.1:9"));
            assertThat(config.overrideConfiguration().apiCallTimeout()).contains(Duration.ofSeconds(7));
            assertThat(config.overrideConfiguration().retryStrategy()).hasValueSatisfying(
                    r -> assertThat(r.maxAttempts()).isEqualTo(5));
        }
    }
}
