package dev.spotkeeper.emulator.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.emulator.services.internal.DynamoDbLocalProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DynamoDbLocalProcessTest {
    @TempDir
    Path work;

    @Test
    void childJvm_listensOnLoopback_andDiesOnClose() throws Exception {
        DynamoDbLocalProcess process = DynamoDbLocalProcess.start(work);
        long pid = process.pid();
        try {
            assertThat(process.endpoint().getHost()).isEqualTo("127.0.0.1");
            HttpRequest listTables = HttpRequest.newBuilder(process.endpoint().resolve("/"))
                    .header("Content-Type", "application/x-amz-json-1.0")
                    .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
                    .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/dynamodb/aws4_request, "
                            + "SignedHeaders=host, Signature=00")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            HttpResponse<String> response = HttpClient.newHttpClient().send(listTables, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("TableNames");
        } finally {
            process.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        assertThat(process.isAlive()).isFalse();
    }
}
