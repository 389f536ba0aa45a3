package dev.spotkeeper.agent.imds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ImdsWatcherTest {
    MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    LoopbackImds imds;
    List<InstanceSignal> signals = new CopyOnWriteArrayList<>();

    ImdsWatcherTest() throws Exception {
        imds = new LoopbackImds(clock);
    }

    @AfterEach
    void stop() {
        imds.close();
    }

    private ImdsClient client(Duration ttl) {
        return new ImdsClient(imds.endpoint(), clock, ttl);
    }

    @Test
    void identity_isReadWithAToken() {
        InstanceIdentity id = InstanceIdentity.read(client(Duration.ofHours(6)));

        assertThat(id).isEqualTo(new InstanceIdentity("i-0123456789abcdef0", "m5.large", "us-east-1c", "us-east-1",
                "123456789012"));
        assertThat(imds.tokensIssued).hasValue(1);
        assertThat(imds.unauthorized).hasValue(0);
    }

    @Test
    void identity_withoutAnIdentityDocument_hasNoAccount() {
        imds.dynamic.clear();

        assertThat(InstanceIdentity.read(client(Duration.ofHours(6))).account()).isEmpty();
    }

    @Test
    void poll_seesTheInterruptionNoticeOnce() {
        ImdsWatcher watcher = new ImdsWatcher(client(Duration.ofHours(6)), clock, signals::add);
        watcher.poll();
        assertThat(signals).isEmpty();
        imds.metadata.put("spot/instance-action", "{\"action\":\"terminate\",\"time\":\"2026-03-01T10:02:00Z\"}");

        watcher.poll();
        watcher.poll();

        assertThat(signals).containsExactly(
                new InstanceSignal.InterruptionNotice("terminate", Instant.parse("2026-03-01T10:02:00Z")));
    }

    @Test
    void poll_seesTheEvacuateTagAndTheRebalanceRecommendation() {
        ImdsWatcher watcher = new ImdsWatcher(client(Duration.ofHours(6)), clock, signals::add);
        imds.metadata.put("events/recommendations/rebalance", "{\"noticeTime\":\"2026-03-01T09:59:00Z\"}");
        imds.metadata.put("tags/instance/spotkeeper:evacuate", "2026-03-01T10:01:30Z");

        watcher.poll();

        assertThat(signals).containsExactly(
                new InstanceSignal.RebalanceNotice(Instant.parse("2026-03-01T09:59:00Z")),
                new InstanceSignal.EvacuateTag(Instant.parse("2026-03-01T10:01:30Z")));
    }

    @Test
    void evacuateTagThatIsNotATime_meansWithinTwoMinutes() {
        ImdsWatcher watcher = new ImdsWatcher(client(Duration.ofHours(6)), clock, signals::add);
        imds.metadata.put("tags/instance/spotkeeper:evacuate", "now please");

        watcher.poll();

        assertThat(signals).containsExactly(new InstanceSignal.EvacuateTag(Instant.parse("2026-03-01T10:02:00Z")));
    }

    @Test
    void revokedToken_isReplacedAfterA401_andTheReadRetried() {
        ImdsClient client = client(Duration.ofHours(6));
        assertThat(client.metadata("instance-id")).contains("i-0123456789abcdef0");
        imds.revokeTokens();

        assertThat(client.metadata("instance-id")).contains("i-0123456789abcdef0");

        assertThat(imds.unauthorized).hasValue(1);
        assertThat(imds.tokensIssued).hasValue(2);
    }

    @Test
    void token_isRenewedBeforeItExpires() {
        ImdsClient client = client(Duration.ofSeconds(60));
        client.metadata("instance-id");
        clock.advance(Duration.ofSeconds(29));
        client.metadata("instance-id");
        assertThat(imds.tokensIssued).hasValue(1);

        clock.advance(Duration.ofSeconds(2));
        client.metadata("instance-id");

        assertThat(imds.tokensIssued).hasValue(2);
        assertThat(imds.unauthorized).hasValue(0);
    }
}
