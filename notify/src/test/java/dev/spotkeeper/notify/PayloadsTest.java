package dev.spotkeeper.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.json.Json;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each sink receives, byte for byte where it matters, in English and Japanese, from a real HTTP server. */
class PayloadsTest {
    static final Instant AT = Rig.T0.plus(Duration.ofMinutes(30));
    static final String POOL = "us-east-1/us-east-1a/m5.large";
    final Rig rig = new Rig();
    Receiver receiver;

    @AfterEach
    void stop() {
        rig.close();
        if (receiver != null) {
            receiver.close();
        }
    }

    private NotifySpec slack(String language) {
        return new NotifySpec(Optional.of(NotifySpec.Slack.webhook(new Reference(Reference.Source.ENV, "HOOK"))),
                Optional.empty(), Optional.empty(), EnumSet.allOf(NotifyEvent.class), language);
    }

    private List<Receiver.Request> send(NotifySpec spec, String kind, String message, int expected) throws Exception {
        receiver = new Receiver();
        rig.env.put("HOOK", receiver.url("/services/T000/B000/secret-path"));
        rig.env.put("OPS", receiver.url("/ops/hook"));
        rig.workload("train", spec);
        rig.instance("train", "i-0abc", POOL, 0.03);
        rig.event(AT, "train", "i-0abc", kind, message);
        rig.start(Rig.fast(), Clock.fixed(AT, ZoneOffset.UTC));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests.size() >= expected);
        return receiver.requests;
    }

    @Test
    void slackWebhook_warningInEnglish_isThisBlockKitMessageWithItsFallback() throws Exception {
        Receiver.Request r = send(slack("en"), "AT_RISK", "spot interruption warning; evacuate by 2026-03-01T00:32:00Z",
                1).get(0);

        assertThat(r.path()).isEqualTo("/services/T000/B000/secret-path");
        assertThat(r.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(Json.parse(r.body())).isEqualTo(Json.parse("""
                {"text": "train: Interruption warning\\nWorkload: train\\nEvent: Interruption warning\\nInstance: i-0abc\\n\
                Pool: us-east-1/us-east-1a/m5.large\\nPrice: $0.0300/h (spot)\\nTime left: 2 min 0 s\\nCost so far: $0.0150\\n\
                A replacement is launched now; the job checkpoints and moves to it before the instance is taken back.\\n\
                spot interruption warning; evacuate by 2026-03-01T00:32:00Z",
                 "blocks": [
                  {"type": "header", "text": {"type": "plain_text", "text": "train: Interruption warning"}},
                  {"type": "section", "fields": [
                    {"type": "mrkdwn", "text": "*Workload*\\ntrain"},
                    {"type": "mrkdwn", "text": "*Event*\\nInterruption warning"},
                    {"type": "mrkdwn", "text": "*Instance*\\ni-0abc"},
                    {"type": "mrkdwn", "text": "*Pool*\\nus-east-1/us-east-1a/m5.large"},
                    {"type": "mrkdwn", "text": "*Price*\\n$0.0300/h (spot)"},
                    {"type": "mrkdwn", "text": "*Time left*\\n2 min 0 s"},
                    {"type": "mrkdwn", "text": "*Cost so far*\\n$0.0150"}]},
                  {"type": "section", "text": {"type": "mrkdwn", "text": "*What happens next*\\nA replacement is launched now;\
                 the job checkpoints and moves to it before the instance is taken back."}},
                  {"type": "section", "text": {"type": "mrkdwn", "text": "*Details*\\nspot interruption warning; evacuate by\
                 2026-03-01T00:32:00Z"}},
                  {"type": "context", "elements": [{"type": "mrkdwn", "text": "Event id: train-1 · 2026-03-01T00:30:00Z"}]}
                 ]}
                """));
    }

    @Test
    void slackWebhook_warningInJapanese_isTheSameMessageInJapanese() throws Exception {
        Receiver.Request r = send(slack("ja"), "AT_RISK", "spot interruption warning; evacuate by 2026-03-01T00:31:15Z",
                1).get(0);

        Map<String, Object> body = Json.parseObject(r.body());
        assertThat(body.get("text")).isEqualTo("train: 中断通知\nワークロード: train\nイベント: 中断通知\nインスタンス: i-0abc\n"
                + "プール: us-east-1/us-east-1a/m5.large\n料金: $0.0300/時 (スポット)\n残り時間: 1分15秒\nこれまでの費用: $0.0150\n"
                + "代わりのインスタンスを今すぐ起動し、回収される前にジョブはチェックポイントを保存して移ります。\n"
                + "spot interruption warning; evacuate by 2026-03-01T00:31:15Z");
        assertThat(Json.write(body.get("blocks"))).isEqualTo(Json.write(Json.parse("""
                [{"type": "header", "text": {"type": "plain_text", "text": "train: 中断通知"}},
                 {"type": "section", "fields": [
                   {"type": "mrkdwn", "text": "*ワークロード*\\ntrain"},
                   {"type": "mrkdwn", "text": "*イベント*\\n中断通知"},
                   {"type": "mrkdwn", "text": "*インスタンス*\\ni-0abc"},
                   {"type": "mrkdwn", "text": "*プール*\\nus-east-1/us-east-1a/m5.large"},
                   {"type": "mrkdwn", "text": "*料金*\\n$0.0300/時 (スポット)"},
                   {"type": "mrkdwn", "text": "*残り時間*\\n1分15秒"},
                   {"type": "mrkdwn", "text": "*これまでの費用*\\n$0.0150"}]},
                 {"type": "section", "text": {"type": "mrkdwn", "text": "*この後*\\n代わりのインスタンスを今すぐ起動し、回収される前にジョブはチェックポイントを保存して移ります。"}},
                 {"type": "section", "text": {"type": "mrkdwn", "text": "*詳細*\\nspot interruption warning; evacuate by 2026-03-01T00:31:15Z"}},
                 {"type": "context", "elements": [{"type": "mrkdwn", "text": "イベント ID: train-1 · 2026-03-01T00:30:00Z"}]}]
                """)));
    }

    /** Each controller event kind reaches Slack as its event, with its title and what happens next, per language. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            LAUNCHED      | generation 1, spot us-east-1/us-east-1a/m5.large at $0.0300/h | en | train: Instance launched  | Its agent starts and the job runs on it (a replacement first waits for the instance it replaces to stop the job).
            LAUNCHED      | generation 1, spot us-east-1/us-east-1a/m5.large at $0.0300/h | ja | train: インスタンス起動     | エージェントが起動し、ジョブを実行します（置き換えの場合は、元のインスタンスがジョブを止めるのを待ちます）。
            RUNNING       | the job runs                                                  | en | train: Job running        | spotkeeper watches for interruptions and keeps checkpoints as the job runs.
            RUNNING       | the job runs                                                  | ja | train: ジョブ実行中         | 中断を監視し、実行中はチェックポイントを保存し続けます。
            AT_RISK       | rebalance recommendation; evacuate by 2026-03-01T00:40:00Z    | en | train: Rebalance recommendation | A replacement is launched now, and the job checkpoints and moves before AWS takes the instance back.
            AT_RISK       | rebalance recommendation; evacuate by 2026-03-01T00:40:00Z    | ja | train: リバランス推奨       | 代わりのインスタンスを今すぐ起動し、AWS が回収する前にジョブはチェックポイントを保存して移ります。
            EVACUATING    | evacuation requested (spot interruption warning)              | en | train: Evacuation started | The job saves its checkpoint; the replacement restores from it.
            EVACUATING    | evacuation requested (spot interruption warning)              | ja | train: 退避開始            | ジョブがチェックポイントを保存し、代わりのインスタンスがそこから復元します。
            EVACUATED     | checkpoint ckpt-0001 committed, 12 MB in 3.1 s                | en | train: Evacuation finished | The replacement starts the job from this checkpoint.
            EVACUATED     | checkpoint ckpt-0001 committed, 12 MB in 3.1 s                | ja | train: 退避完了            | 代わりのインスタンスがこのチェックポイントからジョブを再開します。
            RESTORED      | restored from ckpt-0001                                       | en | train: Job restored       | The job goes on from there.
            RESTORED      | restored from ckpt-0001                                       | ja | train: ジョブ復元          | ジョブはそこから続行します。
            RELOCATING    | moving to us-east-1b: 25 % cheaper                            | en | train: Job relocated      | The job checkpoints here and goes on in the new pool.
            RELOCATING    | moving to us-east-1b: 25 % cheaper                            | ja | train: ジョブ移動          | ここでチェックポイントを保存し、新しいプールで続行します。
            RELOCATING    | the deadline is at risk on spot: moving to on-demand          | en | train: On-demand switch   | The job runs on the capacity the policy chose until the reason passes.
            SCHEDULED     | on-demand in us-east-1 (policy spotkeeper; 2.00 h of work left, 2.10 h to the deadline) | ja | train: オンデマンド切替 | 理由が解消するまで、ポリシーが選んだ容量で実行します。
            LIMIT_REACHED | maxDuration 1h reached: checkpointing and stopping            | en | train: Limit reached      | The job checkpoints and stops; its checkpoints are kept for a next run.
            LIMIT_REACHED | maxDuration 1h reached: checkpointing and stopping            | ja | train: 上限到達            | ジョブはチェックポイントを保存して停止します。チェックポイントは次の実行のために保持されます。
            LIMIT_NEAR    | max duration PT1H near: 5 min 30 s left; the job checkpoints and stops at 2026-03-01T00:35:30Z (counted from its start at 2026-02-28T23:36:00Z) | en | train: Limit near | The job goes on until the time left runs out; then it checkpoints and stops, and its checkpoints are kept for a next run.
            LIMIT_NEAR    | max duration PT1H near: 5 min 30 s left; the job checkpoints and stops at 2026-03-01T00:35:30Z (counted from its start at 2026-02-28T23:36:00Z) | ja | train: 上限間近 | 残り時間が尽きるまでジョブは続行し、その時点でチェックポイントを保存して停止します。チェックポイントは次の実行のために保持されます。
            PRIMARY_MOVED | primary moved from i-1 to i-2: writes refused from the hand-over asked at 2026-03-01T00:29:50Z (7.0 s until i-1 handed over), until i-2 has verified the hand-over and serves | en | train: Primary moved | The new primary serves once it has verified the hand-over; clients reconnect to it.
            PRIMARY_MOVED | primary moved from i-1 to i-2                                 | ja | train: プライマリ移動 | 新しいプライマリは引き継ぎを検証してから応答します。クライアントは新しいプライマリに再接続します。
            DATA_AT_RISK  | binary log last shipped 4 min ago, every 2 s asked            | en | train: Data at risk | The binary log is shipped again as soon as S3 takes it; writes since the last shipped log would be lost if the instance went now.
            DATA_AT_RISK  | binary log last shipped 4 min ago, every 2 s asked            | ja | train: データ損失の恐れ | S3 が受け付け次第バイナリログを再び送ります。今インスタンスが失われると、最後に送ったログ以降の書き込みは失われます。
            CAPACITY_LOW  | 2 of 3 replicas healthy                                       | en | train: Capacity below desired | Replacements are launched until the fleet has its desired replicas again.
            CAPACITY_LOW  | 2 of 3 replicas healthy                                       | ja | train: 容量不足 | 希望のレプリカ数に戻るまで代わりのインスタンスを起動します。
            CAPACITY_RESTORED | 3 of 3 replicas healthy                                   | en | train: Capacity restored | Nothing more to do: the fleet serves with its desired replicas.
            CAPACITY_RESTORED | 3 of 3 replicas healthy                                   | ja | train: 容量回復 | これ以上の作業はありません。希望のレプリカ数で稼働しています。
            SUCCEEDED     | the job exited 0                                              | en | train: Job completed      | Nothing more to do: the instances are terminated, the checkpoints kept.
            SUCCEEDED     | the job exited 0                                              | ja | train: ジョブ完了          | これ以上の作業はありません。インスタンスは終了し、チェックポイントは保持されます。
            FAILED        | the job exited 3                                              | en | train: Job failed         | The instances are stopped and the checkpoints kept; fix the cause and run the workload again.
            FAILED        | the job exited 3                                              | ja | train: ジョブ失敗          | インスタンスを停止し、チェックポイントは保持します。原因を直してから再実行してください。
            CANCELLED     | cancelled; checkpoints kept                                   | en | train: Job cancelled      | The instances are terminated; the checkpoints are kept.
            CANCELLED     | cancelled; checkpoints kept                                   | ja | train: ジョブ取消          | インスタンスを終了します。チェックポイントは保持されます。
            """)
    void slackWebhook_eachEvent_hasItsTitleAndWhatHappensNext(String kind, String message, String language,
                                                             String title, String next) throws Exception {
        Map<String, Object> body = Json.parseObject(send(slack(language), kind, message, 1).get(0).body());

        List<?> blocks = (List<?>) body.get("blocks");
        assertThat(blocks.get(0)).isEqualTo(Map.of("type", "header", "text", Map.of("type", "plain_text",
                "text", title)));
        assertThat((String) body.get("text")).startsWith(title + "\n").contains("\n" + next + "\n" + message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            en | train: Limit near | Time left: 20 min 0 s
            ja | train: 上限間近   | 残り時間: 20分0秒
            """)
    void limitNear_saysTheTimeLeftBeforeTheStop(String language, String title, String timeLeft) throws Exception {
        String near = "budget $0.10 near: $0.0100 left ($0.0875 spent, at $0.0300/h), about 20 min 0 s; the job"
                + " checkpoints and stops at 2026-03-01T00:50:00Z";

        String text = (String) Json.parseObject(send(slack(language), "LIMIT_NEAR", near, 1).get(0).body()).get("text");

        assertThat(text).startsWith(title + "\n").contains("\n" + timeLeft + "\n").endsWith(near);
    }

    @Test
    void warningAfterRebalance_isSentAsItsOwnMessage() throws Exception {
        receiver = new Receiver();
        rig.env.put("HOOK", receiver.url("/hook"));
        rig.workload("train", slack("en"));
        rig.instance("train", "i-0abc", POOL, 0.03);
        rig.event(AT, "train", "i-0abc", "AT_RISK", "rebalance recommendation; evacuate by 2026-03-01T00:32:00Z");
        rig.event(AT.plusSeconds(20), "train", "i-0abc", "AT_RISK", "interruption warning (terminate); evacuate by"
                + " 2026-03-01T00:32:20Z (already evacuating)");
        rig.start(Rig.fast(), Clock.fixed(AT.plusSeconds(20), ZoneOffset.UTC));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests.size() >= 2);

        assertThat(receiver.bodies()).satisfiesExactly(
                b -> assertThat(b).contains("train: Rebalance recommendation"),
                b -> assertThat(b).contains("train: Interruption warning").contains("Time left: 2 min 0 s"));
    }

    @Test
    void typedFields_areWhatTheMessageSays_notTheStoreNorTheWords() throws Exception {
        receiver = new Receiver();
        rig.env.put("HOOK", receiver.url("/hook"));
        rig.workload("train", slack("en"));
        rig.instance("train", "i-0abc", POOL, 0.03);
        rig.store.appendEvent(new dev.spotkeeper.core.store.OutboxEvent(0, AT, "train", "i-0abc", "EVACUATED",
                "checkpoint ckpt-0001", dev.spotkeeper.core.store.EventFields.NONE
                .withInstance("us-east-1/us-east-1b/m5.xlarge", 0.0612, true).withOnDemandPrice(0.192)
                .withCheckpoint("ckpt-0001", Optional.of(12_300_000L), Optional.of(Duration.ofMillis(3140)))));
        rig.store.appendEvent(new dev.spotkeeper.core.store.OutboxEvent(0, AT, "train", "i-0abc", "AT_RISK",
                "interruption warning (terminate); evacuate by 2026-03-01T00:59:00Z", dev.spotkeeper.core.store
                .EventFields.NONE.withDeadline(AT.plusSeconds(95))));
        rig.start(Rig.fast(), Clock.fixed(AT, ZoneOffset.UTC));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests.size() >= 2);

        assertThat((String) Json.parseObject(receiver.requests.get(0).body()).get("text")).contains(
                "\nPool: us-east-1/us-east-1b/m5.xlarge\nPrice: $0.0612/h (spot)\nOn-demand price: $0.1920/h\n"
                + "Checkpoint: ckpt-0001\nSize: 12.3 MB\nTook: 3.1 s\n");
        assertThat((String) Json.parseObject(receiver.requests.get(1).body()).get("text"))
                .as("the deadline field, not the words").contains("\nTime left: 1 min 35 s\n");
    }

    @Test
    void primaryMoved_saysHowLongWritesWereRefused() throws Exception {
        receiver = new Receiver();
        rig.env.put("HOOK", receiver.url("/hook"));
        rig.workload("appdb", slack("ja"));
        rig.store.appendEvent(new dev.spotkeeper.core.store.OutboxEvent(0, AT, "appdb", "", "PRIMARY_MOVED",
                "primary moved from i-1 to i-2", dev.spotkeeper.core.store.EventFields.NONE.withCheckpoint(
                "gtid:0-1-42", Optional.empty(), Optional.of(Duration.ofMillis(7000)))));
        rig.start(Rig.fast(), Clock.fixed(AT, ZoneOffset.UTC));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests.size() >= 1);

        assertThat((String) Json.parseObject(receiver.requests.get(0).body()).get("text"))
                .startsWith("appdb: プライマリ移動\n").contains("\nチェックポイント: gtid:0-1-42\n書き込み停止（引き継ぎまで）: 7.0秒\n");
    }

    @Test
    void completed_saysTheCostAndTheSavingsAgainstAllOnDemand() throws Exception {
        receiver = new Receiver();
        rig.env.put("HOOK", receiver.url("/hook"));
        rig.workload("train", slack("en"));
        rig.store.appendLedger(dev.spotkeeper.core.ledger.LedgerEntry.compute("train", "i-0abc",
                dev.spotkeeper.core.ledger.CostKind.SPOT, Rig.T0, Rig.T0.plus(Duration.ofHours(2)), 0.03, 0.096));
        rig.event(AT, "train", "", "SUCCEEDED", "the job exited 0");
        rig.start(Rig.fast(), Clock.fixed(AT, ZoneOffset.UTC));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests.size() >= 1);

        assertThat((String) Json.parseObject(receiver.requests.get(0).body()).get("text"))
                .contains("\nCost so far: $0.0600\nSaved against all on-demand: 69 %\n");
    }

    @Test
    void genericWebhook_fillsTheTemplate_andSendsTheStableIdInAHeader() throws Exception {
        NotifySpec spec = new NotifySpec(Optional.empty(), Optional.empty(), Optional.of(new NotifySpec.Webhook(
                new Reference(Reference.Source.ENV, "OPS"), "{\"summary\": \"{{title}}\", \"who\": \"{{workload}}\","
                + " \"what\": \"{{event}}\", \"n\": {{count}}, \"cost\": {{costSoFar}}, \"id\": \"{{id}}\"}")),
                EnumSet.allOf(NotifyEvent.class), "ja");

        Receiver.Request r = send(spec, "AT_RISK", "spot interruption warning; evacuate by 2026-03-01T00:32:00Z", 1).get(0);

        assertThat(r.path()).isEqualTo("/ops/hook");
        assertThat(r.header("X-Spotkeeper-Event-Id")).isEqualTo("train-1");
        assertThat(Json.parse(r.body())).isEqualTo(Json.parse("""
                {"summary": "train: 中断通知", "who": "train", "what": "warning", "n": 1, "cost": 0.0150, "id": "train-1"}
                """));
    }

    @Test
    void genericWebhook_withoutTemplate_sendsTheDefaultBody() throws Exception {
        NotifySpec spec = new NotifySpec(Optional.empty(), Optional.empty(), Optional.of(new NotifySpec.Webhook(
                new Reference(Reference.Source.ENV, "OPS"), "")), EnumSet.of(NotifyEvent.LAUNCHED), "en");

        Receiver.Request r = send(spec, "LAUNCHED", "generation 1, spot " + POOL + " at $0.0300/h", 1).get(0);

        Map<String, Object> body = Json.parseObject(r.body());
        assertThat(body.keySet()).containsExactly("id", "workload", "event", "title", "text", "instance", "pool",
                "costSoFar", "next", "time", "count", "language");
        assertThat(body).containsEntry("id", "train-1").containsEntry("event", "launched")
                .containsEntry("title", "train: Instance launched").containsEntry("pool", POOL)
                .containsEntry("costSoFar", 0.015).containsEntry("count", 1L).containsEntry("time", AT.toString());
    }

    @Test
    void eventsTheSpecDoesNotAskFor_areNotSent() throws Exception {
        NotifySpec spec = new NotifySpec(Optional.of(NotifySpec.Slack.webhook(new Reference(Reference.Source.ENV,
                "HOOK"))), Optional.empty(), Optional.empty(), EnumSet.of(NotifyEvent.COMPLETED), "en");
        receiver = new Receiver();
        rig.env.put("HOOK", receiver.url("/hook"));
        rig.workload("train", spec);
        rig.event(AT, "train", "", "LAUNCHED", "generation 1");
        rig.event(AT, "train", "", "CHECKPOINTED", "ckpt-0001");
        long last = rig.event(AT, "train", "", "SUCCEEDED", "the job exited 0");
        rig.start(Rig.fast(), Clock.fixed(AT, ZoneOffset.UTC));

        await().atMost(Duration.ofSeconds(10)).until(() -> rig.sender.storedCursor() == last);
        assertThat(receiver.requests).hasSize(1);
        assertThat(receiver.bodies().get(0)).contains("Job completed");
    }
}
