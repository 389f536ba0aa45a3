package dev.spotkeeper.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.store.EventFields;
import dev.spotkeeper.core.store.OutboxEvent;
import dev.spotkeeper.core.workload.NotifyEvent;
import dev.spotkeeper.core.workload.NotifySpec;
import dev.spotkeeper.core.workload.Reference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The exact fallback text (and the fields of the Block Kit section) of the typed moves — a relocation to a cheaper
 * pool, one to on-demand for the deadline, a scheduling decision — and of a service's data at risk, in English and
 * Japanese, as a real HTTP server receives them. The words are the controller's; the figures come from the fields.
 */
class MovePayloadsTest {
    static final Instant AT = PayloadsTest.AT;
    static final String POOL = PayloadsTest.POOL;
    static final String CHEAPER = "us-east-1/us-east-1b/m5.large";
    final Rig rig = new Rig();
    Receiver receiver;

    @AfterEach
    void stop() throws Exception {
        rig.close();
        if (receiver != null) {
            receiver.close();
        }
    }

    private static NotifySpec slack(String language) {
        return new NotifySpec(Optional.of(NotifySpec.Slack.webhook(new Reference(Reference.Source.ENV, "HOOK"))),
                Optional.empty(), Optional.empty(), EnumSet.allOf(NotifyEvent.class), language);
    }

    private Map<String, Object> send(String language, String workload, String instance, String kind, String words,
                                     EventFields fields) throws Exception {
        receiver = new Receiver();
        rig.env.put("HOOK", receiver.url("/hook"));
        rig.workload(workload, slack(language));
        rig.instance(workload, "i-0abc", POOL, 0.03);
        rig.store.appendEvent(new OutboxEvent(0, AT, workload, instance, kind, words, fields));
        rig.start(Rig.fast(), Clock.fixed(AT, ZoneOffset.UTC));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests.size() >= 1);
        return Json.parseObject(receiver.requests.get(0).body());
    }

    private static EventFields relocation() {
        return EventFields.NONE.withInstance(POOL, 0.03, true).withMove(POOL, CHEAPER, "cheaper-pool")
                .withSavingPerHour(0.0075);
    }

    private static final String RELOCATION_WORDS = CHEAPER + " at $0.0225/h beats " + POOL + " at $0.0300/h by 25 %";

    @Test
    void relocation_toACheaperPool_inEnglish_saysFromToWhyAndTheSaving() throws Exception {
        Map<String, Object> body = send("en", "train", "i-0abc", "RELOCATING", RELOCATION_WORDS, relocation());

        assertThat(body.get("text")).isEqualTo("train: Job relocated\nWorkload: train\nEvent: Job relocated\n"
                + "Instance: i-0abc\nPool: " + POOL + "\nPrice: $0.0300/h (spot)\nFrom: " + POOL + "\nTo: " + CHEAPER
                + "\nWhy: a cheaper pool\nExpected saving: $0.0075/h (25 % less)\nCost so far: $0.0150\n"
                + "The job checkpoints here and goes on in the new pool.\n" + RELOCATION_WORDS);
        List<?> blocks = (List<?>) body.get("blocks");
        assertThat(Json.write(((Map<?, ?>) blocks.get(1)).get("fields"))).contains(
                "{\"type\":\"mrkdwn\",\"text\":\"*From*\\n" + POOL + "\"}",
                "{\"type\":\"mrkdwn\",\"text\":\"*To*\\n" + CHEAPER + "\"}",
                "{\"type\":\"mrkdwn\",\"text\":\"*Expected saving*\\n$0.0075/h (25 % less)\"}");
    }

    @Test
    void relocation_toACheaperPool_inJapanese() throws Exception {
        Map<String, Object> body = send("ja", "train", "i-0abc", "RELOCATING", RELOCATION_WORDS, relocation());

        assertThat(body.get("text")).isEqualTo("train: ジョブ移動\nワークロード: train\nイベント: ジョブ移動\n"
                + "インスタンス: i-0abc\nプール: " + POOL + "\n料金: $0.0300/時 (スポット)\n移動元: " + POOL + "\n移動先: "
                + CHEAPER + "\n理由: より安いプール\n見込みの節約: $0.0075/時（25 % 安い）\nこれまでの費用: $0.0150\n"
                + "ここでチェックポイントを保存し、新しいプールで続行します。\n" + RELOCATION_WORDS);
    }

    @Test
    void relocation_toOnDemandForTheDeadline_isAnOnDemandSwitch_byItsFieldsNotItsWords() throws Exception {
        Map<String, Object> body = send("en", "train", "i-0abc", "RELOCATING", "moving for the deadline",
                EventFields.NONE.withInstance(POOL, 0.03, true).withMove(POOL, "on-demand", "deadline"));

        assertThat(body.get("text")).isEqualTo("train: On-demand switch\nWorkload: train\nEvent: On-demand switch\n"
                + "Instance: i-0abc\nPool: " + POOL + "\nPrice: $0.0300/h (spot)\nFrom: " + POOL + "\nTo: on-demand\n"
                + "Why: the deadline is at risk on spot\nCost so far: $0.0150\n"
                + "The job runs on the capacity the policy chose until the reason passes.\nmoving for the deadline");
    }

    private static EventFields scheduled() {
        return EventFields.NONE.withMove("spot", "on-demand", "deadline")
                .withDeadline(AT.plus(Duration.ofMinutes(126)));
    }

    private static final String SCHEDULED_WORDS = "on-demand in us-east-1 (policy spotkeeper, overridden by the"
            + " deadline rule; 2.00 h of work left, 2.10 h to the deadline)";

    @Test
    void scheduled_toOnDemand_inEnglish_saysFromToWhyAndTheTimeToTheDeadline() throws Exception {
        Map<String, Object> body = send("en", "train", "", "SCHEDULED", SCHEDULED_WORDS, scheduled());

        assertThat(body.get("text")).isEqualTo("train: On-demand switch\nWorkload: train\nEvent: On-demand switch\n"
                + "From: spot\nTo: on-demand\nWhy: the deadline is at risk on spot\nTime left: 126 min 0 s\n"
                + "Cost so far: $0.0150\nThe job runs on the capacity the policy chose until the reason passes.\n"
                + SCHEDULED_WORDS);
    }

    @Test
    void scheduled_toOnDemand_inJapanese() throws Exception {
        Map<String, Object> body = send("ja", "train", "", "SCHEDULED", SCHEDULED_WORDS, scheduled());

        assertThat(body.get("text")).isEqualTo("train: オンデマンド切替\nワークロード: train\nイベント: オンデマンド切替\n"
                + "移動元: スポット\n移動先: オンデマンド\n理由: スポットでは期限に間に合わない恐れ\n残り時間: 126分0秒\n"
                + "これまでの費用: $0.0150\n理由が解消するまで、ポリシーが選んだ容量で実行します。\n" + SCHEDULED_WORDS);
    }

    @Test
    void scheduled_backToSpot_isToldByItsFields_andASpotDecisionAfterSpotIsNot() throws Exception {
        receiver = new Receiver();
        rig.env.put("HOOK", receiver.url("/hook"));
        rig.workload("train", slack("en"));
        rig.store.appendEvent(new OutboxEvent(0, AT, "train", "", "SCHEDULED", "spot, preferring use1-az2 (…)",
                EventFields.NONE.withMove("spot", "spot", "policy")));
        rig.store.appendEvent(new OutboxEvent(0, AT, "train", "", "SCHEDULED", "spot, preferring use1-az1 (…)",
                EventFields.NONE.withMove("on-demand", "spot", "policy")));
        rig.start(Rig.fast(), Clock.fixed(AT, ZoneOffset.UTC));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests.size() >= 1);
        rig.close();

        assertThat(receiver.requests).hasSize(1);
        assertThat((String) Json.parseObject(receiver.requests.get(0).body()).get("text")).contains(
                "\nFrom: on-demand\nTo: spot\nWhy: the scheduling policy's decision\n");
    }

    private static final String AT_RISK_WORDS = "data at risk on i-0abc: its binary log has not reached S3 for 25.0 s";

    private static EventFields shipBehind() {
        return EventFields.NONE.withInstance(POOL, 0.03, true).withDataAtRisk("ship-behind",
                Optional.of(AT.minusSeconds(25)), Optional.of(Duration.ofSeconds(25)));
    }

    @Test
    void dataAtRisk_inEnglish_saysWhyTheLastShipAndTheWritesNotInS3() throws Exception {
        Map<String, Object> body = send("en", "appdb", "i-0abc", "DATA_AT_RISK", AT_RISK_WORDS, shipBehind());

        assertThat(body.get("text")).isEqualTo("appdb: Data at risk\nWorkload: appdb\nEvent: Data at risk\n"
                + "Instance: i-0abc\nPool: " + POOL + "\nPrice: $0.0300/h (spot)\n"
                + "Why: the binary log has not reached S3 within its shipping period\n"
                + "Binary log last in S3: 2026-03-01T00:29:35Z\nWrites not in S3 (up to): 25.0 s\nCost so far: $0.0150\n"
                + "The binary log is shipped again as soon as S3 takes it; writes since the last shipped log would be"
                + " lost if the instance went now.\n" + AT_RISK_WORDS);
    }

    @Test
    void dataAtRisk_inJapanese() throws Exception {
        Map<String, Object> body = send("ja", "appdb", "i-0abc", "DATA_AT_RISK", AT_RISK_WORDS, shipBehind());

        assertThat(body.get("text")).isEqualTo("appdb: データ損失の恐れ\nワークロード: appdb\nイベント: データ損失の恐れ\n"
                + "インスタンス: i-0abc\nプール: " + POOL + "\n料金: $0.0300/時 (スポット)\n"
                + "理由: バイナリログが送信間隔内に S3 に届いていない\n"
                + "S3 にある最後のバイナリログ: 2026-03-01T00:29:35Z\nS3 にない書き込み（最大）: 25.0秒\nこれまでの費用: $0.0150\n"
                + "S3 が受け付け次第バイナリログを再び送ります。今インスタンスが失われると、最後に送ったログ以降の書き込みは失われます。\n"
                + AT_RISK_WORDS);
    }

    @Test
    void dataAtRisk_ofALostPrimary_saysTheWritesAreLost() throws Exception {
        EventFields lost = EventFields.NONE.withInstance(POOL, 0.03, true).withDataAtRisk("lost",
                Optional.of(AT.minusSeconds(1)), Optional.of(Duration.ofSeconds(1)));

        Map<String, Object> en = send("en", "appdb", "i-0abc", "DATA_AT_RISK", "lost", lost);

        assertThat((String) en.get("text")).contains("\nWhy: the primary was lost without a hand-over\n"
                + "Binary log last in S3: 2026-03-01T00:29:59Z\nWrites not in S3 (up to): 1.0 s\nCost so far: $0.0150\n"
                + "The next primary serves what S3 holds: writes acknowledged after the last shipped log are lost; check"
                + " them in the application.\nlost");
    }

    @Test
    void dataAtRisk_ofALostPrimary_inJapanese() throws Exception {
        EventFields lost = EventFields.NONE.withInstance(POOL, 0.03, true).withDataAtRisk("lost",
                Optional.of(AT.minusSeconds(1)), Optional.of(Duration.ofSeconds(1)));

        Map<String, Object> ja = send("ja", "appdb", "i-0abc", "DATA_AT_RISK", "lost", lost);

        assertThat((String) ja.get("text")).contains("\n理由: 引き継ぎなしでプライマリが失われた\n"
                + "S3 にある最後のバイナリログ: 2026-03-01T00:29:59Z\nS3 にない書き込み（最大）: 1.0秒\nこれまでの費用: $0.0150\n"
                + "次のプライマリは S3 にある内容で応答します。最後に送ったログ以降に確定した書き込みは失われるので、アプリケーション側で確認してください。\n"
                + "lost");
    }

    @Test
    void aScheduledChange_saysWhenItStarts_inBothLanguages() throws Exception {
        EventFields f = EventFields.NONE.withInstance(POOL, 0.03, true).withDeadline(AT.plusSeconds(120))
                .withChangeAt(Instant.parse("2026-03-15T09:00:00Z"));
        String words = "scheduled change AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED starting 2026-03-15T09:00:00Z;"
                + " evacuate by 2026-03-01T00:32:00Z";

        Map<String, Object> en = send("en", "train", "i-0abc", "AT_RISK", words, f);

        assertThat(en.get("text")).isEqualTo("train: Interruption warning\nWorkload: train\nEvent: Interruption warning\n"
                + "Instance: i-0abc\nPool: " + POOL + "\nPrice: $0.0300/h (spot)\n"
                + "Scheduled change starts: 2026-03-15T09:00:00Z\nTime left: 2 min 0 s\nCost so far: $0.0150\n"
                + "A replacement is launched now; the job checkpoints and moves to it before the instance is taken back.\n"
                + words);
    }

    @Test
    void aScheduledChange_inJapanese() throws Exception {
        EventFields f = EventFields.NONE.withInstance(POOL, 0.03, true).withDeadline(AT.plusSeconds(120))
                .withChangeAt(Instant.parse("2026-03-15T09:00:00Z"));

        Map<String, Object> ja = send("ja", "train", "i-0abc", "AT_RISK", "scheduled change", f);

        assertThat((String) ja.get("text")).contains("\n料金: $0.0300/時 (スポット)\n予定された変更の開始: 2026-03-15T09:00:00Z\n"
                + "残り時間: 2分0秒\n");
    }

    @Test
    void aFleetBelowItsCapacity_saysHowManyReplicasServe() throws Exception {
        EventFields f = EventFields.NONE.withCapacity(4, 3).withPool(POOL);

        Map<String, Object> en = send("en", "web", "", "CAPACITY_LOW", "3 of 4 replicas healthy", f);

        assertThat((String) en.get("text")).contains("\nPool: " + POOL + "\nHealthy replicas: 3 of 4\n");
    }

    @Test
    void aFleetBelowItsCapacity_inJapanese() throws Exception {
        EventFields f = EventFields.NONE.withCapacity(4, 3).withPool(POOL);

        Map<String, Object> ja = send("ja", "web", "", "CAPACITY_LOW", "3 of 4 replicas healthy", f);

        assertThat((String) ja.get("text")).contains("\n正常なレプリカ: 4 台中 3 台\n");
    }
}
