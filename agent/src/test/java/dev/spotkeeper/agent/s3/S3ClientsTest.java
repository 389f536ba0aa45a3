package dev.spotkeeper.agent.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
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
import software.amazon.awssdk.services.s3.S3Client;

class S3ClientsTest {
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
        try (S3Client s3 = S3Clients.s3(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
                "AWS_REGION", "us-east-1"), credentials)) {
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
}
