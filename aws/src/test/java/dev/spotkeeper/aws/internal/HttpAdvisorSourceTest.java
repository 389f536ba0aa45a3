package dev.spotkeeper.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.core.market.io.SpotAdvisorFeed;
import dev.spotkeeper.testkit.LoopbackFileServer;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpAdvisorSourceTest {
    private static byte[] shippedFeed() throws Exception {
        try (InputStream in = HttpAdvisorSourceTest.class.getResourceAsStream(
                "/dev/spotkeeper/core/market/data/spot-advisor-data-2025-07.json")) {
            return in.readAllBytes();
        }
    }

    @Test
    void fetch_overHttp_parsesTheFeed() throws Exception {
        try (LoopbackFileServer server = LoopbackFileServer.serving("/spot-advisor-data.json", "application/json", shippedFeed())) {
            SpotAdvisorFeed feed = new HttpAdvisorSource(server.uri()).fetch();

            assertThat(feed.linuxEntryCount()).isEqualTo(ShippedMarket.spotAdvisor().linuxEntryCount()).isPositive();
            assertThat(feed.linux("us-east-1", "m5.large")).isEqualTo(ShippedMarket.spotAdvisor().linux("us-east-1", "m5.large"));
            assertThat(server.requests()).isEqualTo(1);
        }
    }

    @Test
    void fetch_whenTheUrlIsWrong_saysWhichUrlAnsweredWhat() throws Exception {
        try (LoopbackFileServer server = LoopbackFileServer.serving("/spot-advisor-data.json", "application/json", shippedFeed())) {
            URI wrong = server.uri().resolve("/other.json");

            assertThatThrownBy(() -> new HttpAdvisorSource(wrong).fetch())
                    .isInstanceOfSatisfying(SpotkeeperException.class, e -> assertThat(e.getMessage())
                            .contains(wrong.toString()).contains("HTTP 404").contains("--advisor-url"));
        }
    }

    @Test
    void fetch_whenNobodyListens_isUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI down = URI.create("http://127.0.0.1:" + port + "/spot-advisor-data.json");

        assertThatThrownBy(() -> new HttpAdvisorSource(down).fetch())
                .isInstanceOfSatisfying(SpotkeeperException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains(down.toString());
                });
    }

    @Test
    void fetch_fromAFileUrl_worksOffline(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("advisor.json");
        Files.write(copy, shippedFeed());

        assertThat(new HttpAdvisorSource(copy.toUri()).fetch().linuxEntryCount())
                .isEqualTo(ShippedMarket.spotAdvisor().linuxEntryCount());
    }

    @Test
    void fetch_ofSomethingThatIsNotTheFeed_isAMalformedFile() {
        try (LoopbackFileServer server = LoopbackFileServer.serving("/x.json", "application/json", "{\"a\":1}".getBytes())) {
            assertThatThrownBy(() -> new HttpAdvisorSource(server.uri()).fetch())
                    .isInstanceOfSatisfying(SpotkeeperException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FILE));
        }
    }
}
