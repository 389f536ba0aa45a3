package dev.spotkeeper.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.workload.NotifyEvent;
import dev.spotkeeper.core.workload.NotifySpec;
import dev.spotkeeper.core.workload.Reference;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retries with backoff, one report when a sink keeps failing and one when it recovers, at least once, secrets kept. */
class DeliveryTest {
    final Rig rig = new Rig();
    final List<Receiver> receivers = new ArrayList<>();

    @AfterEach
    void stop() {
        rig.close();
        receivers.forEach(Receiver::close);
    }

    private Receiver receiver() throws Exception {
        Receiver r = new Receiver();
        receivers.add(r);
        return r;
    }

    static NotifySpec webhook(String env) {
        return new NotifySpec(Optional.empty(), Optional.empty(), Optional.of(new NotifySpec.Webhook(
                new Reference(Reference.Source.ENV, env), "")), EnumSet.allOf(NotifyEvent.class), "en");
    }

    static NotifySpec slack(String env) {
        return new NotifySpec(Optional.of(NotifySpec.Slack.webhook(new Reference(Reference.Source.ENV, env))),
                Optional.empty(), Optional.empty(), EnumSet.allOf(NotifyEvent.class), "en");
    }

    @Test
    void aSinkThatFailsThenRecovers_getsTheSameMessageAgainWithGrowingWaits_andIsReportedOnceEachWay() throws Exception {
        Receiver hook = receiver().failWith(500, 503, 429, 502);
        rig.env.put("HOOK", hook.url("/services/T1/B1/SECRETPATH"));
        rig.workload("train", slack("HOOK"));
        rig.event("train", "", "LAUNCHED", "generation 1");
        rig.event("train", "", "RUNNING", "the job runs");

        rig.start(Rig.fast(), Clock.systemUTC());

        await().atMost(Duration.ofSeconds(20)).until(() -> hook.requests.size() >= 6);
        List<Receiver.Request> r = hook.requests;
        assertThat(r.subList(0, 5)).as("the first message, five times").allMatch(x -> x.body().equals(r.get(0).body()));
        assertThat(r.get(5).body()).contains("Job running");
        // Backoff 20, 40, 80, 160 ms (base 20 ms, doubling, at most 200 ms).
        for (int i = 1; i < 5; i++) {
            long gap = Duration.between(r.get(i - 1).at(), r.get(i).at()).toMillis();
            assertThat(gap).as("wait before attempt " + (i + 1)).isGreaterThanOrEqualTo(20L << (i - 1));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> rig.reports.size() >= 2);
        assertThat(rig.reports).hasSize(2);
        assertThat(rig.reports.get(0)).isEqualTo("notify: Slack webhook (127.0.0.1) of workload train keeps failing"
                + " (HTTP 429: server_error); messages are retried with backoff, and this is said again when it works");
        assertThat(rig.reports.get(1)).startsWith("notify: Slack webhook (127.0.0.1) of workload train works again"
                + " (HTTP 200: ok) after 4 failed attempts");
        assertThat(String.join("\n", rig.reports)).doesNotContain("SECRETPATH").doesNotContain("/services/");
    }

    @Test
    void theCursorMovesOnlyPastDeliveredEvents_soANewSenderSendsTheRestAgainWithTheSameId() throws Exception {
        Receiver down = receiver().failWith(500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500);
        rig.env.put("OPS", down.url("/hook"));
        rig.workload("train", webhook("OPS"));
        long warning = rig.event("train", "i-1", "AT_RISK", "spot interruption warning; evacuate by 2026-03-01T00:02:00Z");

        rig.start(Rig.fast(), Clock.systemUTC());
        await().atMost(Duration.ofSeconds(10)).until(() -> down.requests.size() >= 3);
        rig.sender.close();
        assertThat(rig.store.sinkCursor(NotificationSender.CURSOR)).as("not delivered: the cursor stays").isZero();

        Receiver up = receiver();
        rig.env.put("OPS", up.url("/hook"));
        rig.start(Rig.fast(), Clock.systemUTC());
        await().atMost(Duration.ofSeconds(10)).until(() -> rig.store.sinkCursor(NotificationSender.CURSOR) == warning);

        assertThat(up.requests).hasSize(1);
        assertThat(up.requests.get(0).header("X-Spotkeeper-Event-Id")).isEqualTo(down.requests.get(0)
                .header("X-Spotkeeper-Event-Id")).isEqualTo("train-1");
        assertThat(Json.parseObject(up.requests.get(0).body())).containsEntry("id", "train-1");
    }

    @Test
    void aHangingSink_holdsUpNeitherAnotherSinkNorTheCursorForever() throws Exception {
        Receiver hanging = receiver().hang();
        Receiver ok = receiver();
        rig.env.put("HOOK", hanging.url("/hook"));
        rig.env.put("OPS", ok.url("/hook"));
        rig.requestTimeout = Duration.ofMillis(300);
        rig.workload("stuck", slack("HOOK"));
        rig.workload("fine", webhook("OPS"));
        rig.event("stuck", "", "LAUNCHED", "generation 1");
        rig.event("fine", "", "LAUNCHED", "generation 1");
        rig.event("fine", "", "SUCCEEDED", "the job exited 0");

        rig.start(Rig.fast(), Clock.systemUTC());

        await().atMost(Duration.ofSeconds(5)).until(() -> ok.requests.size() == 2);
        assertThat(rig.store.sinkCursor(NotificationSender.CURSOR)).as("the hanging sink still has event 1").isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> rig.reports.size() == 1);
        assertThat(rig.reports.get(0)).contains("Slack webhook (127.0.0.1) of workload stuck keeps failing (no answer"
                + " within 300 ms)");
    }

    @Test
    void slackWebApi_sendsTheTokenOnlyInItsHeader_andAChannelThatDoesNotExistIsRefusedNotRetried() throws Exception {
        Receiver api = receiver().answer("{\"ok\":false,\"error\":\"channel_not_found\"}");
        rig.slackApi = URI.create(api.url("/api/"));
        rig.env.put("BOT", "xoxb-0000-SECRET-TOKEN");
        rig.workload("train", new NotifySpec(Optional.of(NotifySpec.Slack.webApi(new Reference(Reference.Source.ENV,
                "BOT"), "C0123456789")), Optional.empty(), Optional.empty(), EnumSet.allOf(NotifyEvent.class), "en"));
        rig.event("train", "", "LAUNCHED", "generation 1");
        rig.event("train", "", "RUNNING", "the job runs");
        rig.event("train", "", "SUCCEEDED", "the job exited 0");

        rig.start(Rig.fast(), Clock.systemUTC());

        await().atMost(Duration.ofSeconds(10)).until(() -> rig.store.sinkCursor(NotificationSender.CURSOR) == 3);
        assertThat(api.requests).as("refused for good: each message once").hasSize(3);
        Receiver.Request first = api.requests.get(0);
        assertThat(first.path()).isEqualTo("/api/chat.postMessage");
        assertThat(first.header("Authorization")).isEqualTo("Bearer xoxb-0000-SECRET-TOKEN");
        assertThat(Json.parseObject(first.body())).containsEntry("channel", "C0123456789").containsKey("blocks")
                .containsKey("text");
        assertThat(first.body()).doesNotContain("SECRET");
        assertThat(rig.reports).hasSize(1);
        assertThat(rig.reports.get(0)).isEqualTo("notify: Slack chat.postMessage to C0123456789 (127.0.0.1) of workload"
                + " train keeps failing (channel_not_found); messages are retried with backoff, and this is said again"
                + " when it works");
    }

    @Test
    void aReferenceThatIsNotSet_isReportedByItsName() throws Exception {
        rig.workload("train", slack("NOT_SET"));
        rig.event("train", "", "LAUNCHED", "generation 1");
        rig.event("train", "", "RUNNING", "the job runs");
        rig.event("train", "", "SUCCEEDED", "the job exited 0");

        rig.start(Rig.fast(), Clock.systemUTC());

        await().atMost(Duration.ofSeconds(10)).until(() -> rig.reports.size() == 1);
        assertThat(rig.reports.get(0)).isEqualTo("notify: Slack webhook (env:NOT_SET) of workload train keeps failing"
                + " (env:NOT_SET is not set: set the environment variable NOT_SET where the controller runs); messages are"
                + " retried with backoff, and this is said again when it works");
    }

    @Test
    void aReferenceThatHoldsNoUrl_isReportedWithoutItsValue() throws Exception {
        rig.env.put("HOOK", "ftp://files.example.com/VALUE-THAT-IS-SECRET");
        rig.workload("train", webhook("HOOK"));
        rig.event("train", "", "LAUNCHED", "generation 1");
        rig.event("train", "", "RUNNING", "the job runs");
        rig.event("train", "", "SUCCEEDED", "the job exited 0");

        rig.start(Rig.fast(), Clock.systemUTC());

        await().atMost(Duration.ofSeconds(10)).until(() -> rig.reports.size() == 1);
        assertThat(rig.reports.get(0)).startsWith("notify: webhook (env:HOOK) of workload train keeps failing (the value"
                + " it names is not an http(s) URL)").doesNotContain("SECRET").doesNotContain("files.example.com");
    }

    @Test
    void theShippedSinks_areFoundThroughServiceLoader() {
        assertThat(NotificationSender.installed()).extracting(f -> f.getClass().getSimpleName())
                .containsExactlyInAnyOrder("Slack", "Webhook", "Sns");
    }
}
