package dev.spotkeeper.spec.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.workload.NotifyEvent;
import dev.spotkeeper.core.workload.NotifySpec;
import dev.spotkeeper.core.workload.Reference;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.core.workload.WorkloadSpecJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workload file's {@code notify:}: sinks by reference, events and language, refused by line when wrong. */
class NotifySpecTest {
    @TempDir
    Path dir;

    private static final String HEAD = """
            name: train
            run: python train.py
            """;

    private WorkloadSpec parse(String notify) throws IOException {
        Path file = dir.resolve("train.yaml");
        Files.writeString(file, HEAD + notify);
        return YamlSpecs.parse(file.toString(), Files.readString(file));
    }

    private String refusal(String notify) {
        SpotkeeperException e = (SpotkeeperException) org.assertj.core.api.Assertions.catchThrowable(() -> parse(notify));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FILE);
        return e.getMessage();
    }

    @Test
    void notify_theDocumentedExample_readsEverySinkAndKeepsItThroughTheCanonicalJson() throws IOException {
        Files.writeString(dir.resolve("hook.json"), "{\"summary\": \"{{title}}\", \"body\": \"{{text}}\", \"n\": {{count}}}");
        WorkloadSpec s = parse("""
                notify:
                  slack:   {webhookUrl: env:SLACK_WEBHOOK_URL}
                  sns:     {topicArn: arn:aws:sns:ap-northeast-1:123456789012:spot-events}
                  webhook: {url: env:OPS_HOOK_URL, template: hook.json}
                  on: [launched, warning, evacuated, restored, relocated, on-demand, completed, failed, limit]
                  language: ja
                """);

        NotifySpec n = s.notifications();
        assertThat(n.slack().orElseThrow().webhookUrl()).contains(new Reference(Reference.Source.ENV, "SLACK_WEBHOOK_URL"));
        assertThat(n.sns().orElseThrow().topicArn()).isEqualTo("arn:aws:sns:ap-northeast-1:123456789012:spot-events");
        assertThat(n.webhook().orElseThrow().url()).isEqualTo(new Reference(Reference.Source.ENV, "OPS_HOOK_URL"));
        assertThat(n.webhook().orElseThrow().template()).contains("{{title}}");
        assertThat(n.on()).containsExactlyInAnyOrder(NotifyEvent.LAUNCHED, NotifyEvent.WARNING, NotifyEvent.EVACUATED,
                NotifyEvent.RESTORED, NotifyEvent.RELOCATED, NotifyEvent.ON_DEMAND, NotifyEvent.COMPLETED,
                NotifyEvent.FAILED, NotifyEvent.LIMIT);
        assertThat(n.language()).isEqualTo("ja");
        String json = WorkloadSpecJson.write(s);
        assertThat(WorkloadSpecJson.read("stored", json)).isEqualTo(s);
        assertThat(json).contains("\"webhookUrl\":\"env:SLACK_WEBHOOK_URL\"");
    }

    @Test
    void notify_slackWebApi_takesATokenByReferenceAndAChannelId() throws IOException {
        NotifySpec n = parse("""
                notify:
                  slack: {token: secret:spotkeeper/slack-bot, channel: C0123456789}
                """).notifications();

        assertThat(n.slack().orElseThrow().token()).contains(new Reference(Reference.Source.SECRET, "spotkeeper/slack-bot"));
        assertThat(n.slack().orElseThrow().channel()).isEqualTo("C0123456789");
        assertThat(n.on()).as("all events by default").isEqualTo(EnumSet.allOf(NotifyEvent.class));
        assertThat(n.language()).isEqualTo("en");
    }

    @Test
    void notify_absent_isNobodyAndWritesTheCanonicalTextOfBefore() throws IOException {
        WorkloadSpec s = parse("");

        assertThat(s.notifications()).isEqualTo(NotifySpec.NONE);
        assertThat(WorkloadSpecJson.write(s)).doesNotContain("notify");
    }

    @Test
    void notify_aLiteralWebhookUrl_isRefusedAtItsLineWithWhyAndWhatToWrite_withoutRepeatingIt() {
        String message = refusal("""
                notify:
                  slack:
                    webhookUrl: https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX
                """);

        assertThat(message).startsWith(dir.resolve("train.yaml") + ":5: notify.slack.webhookUrl must be a reference,"
                + " not the URL itself (a URL to hooks.slack.com)");
        assertThat(message).contains("ends up in version control").contains("webhookUrl: env:SLACK_WEBHOOK_URL")
                .contains("secret:NAME");
        assertThat(message).doesNotContain("XXXXSECRETXXXX").doesNotContain("/services/");
    }

    @Test
    void notify_aLiteralToken_isRefusedWithoutRepeatingIt() {
        String message = refusal("""
                notify:
                  slack: {token: xoxb-1234-SECRET, channel: C0123456789}
                """);

        assertThat(message).contains(":4: notify.slack.token must be a reference, not the token itself")
                .doesNotContain("xoxb-1234-SECRET");
    }

    @Test
    void notify_aLiteralGenericWebhookUrl_isRefused() {
        assertThat(refusal("""
                notify:
                  webhook: {url: "https://ops.example.com/hook?key=abc"}
                """)).contains(":4: notify.webhook.url must be a reference").contains("(a URL to ops.example.com)")
                .doesNotContain("key=abc");
    }

    @Test
    void notify_anUnknownEvent_isRefusedAtItsLineWithTheNearestName() {
        assertThat(refusal("""
                notify:
                  slack: {webhookUrl: env:HOOK}
                  on:
                    - launched
                    - warnng
                """)).contains(":7: notify.on names an unknown event 'warnng' (did you mean warning?)")
                .contains("on-demand");
    }

    @Test
    void notify_anUnknownLanguage_isRefused() {
        assertThat(refusal("""
                notify:
                  slack: {webhookUrl: env:HOOK}
                  language: fr
                """)).contains(":5: notify.language must be en or ja; was 'fr'");
    }

    @Test
    void notify_aBadTopicArnOrChannel_orBothSlackForms_areRefused() {
        assertThat(refusal("""
                notify:
                  sns: {topicArn: spot-events}
                """)).contains(":4: notify.sns.topicArn must be an SNS topic ARN");
        assertThat(refusal("""
                notify:
                  slack: {token: env:T, channel: "#general"}
                """)).contains("notify.slack.channel must be a channel id like C0123456789");
        assertThat(refusal("""
                notify:
                  slack: {token: env:T, webhookUrl: env:H}
                """)).contains("notify.slack.token cannot be set together with webhookUrl");
        assertThat(refusal("""
                notify:
                  slack: {webhookUrl: env:H}
                  sms: {to: env:PHONE}
                """)).contains(":5: unknown key 'notify.sms'");
    }

    @Test
    void notify_aTemplateThatIsNoJsonOrUsesAnUnknownPlaceholder_isRefused() throws IOException {
        Files.writeString(dir.resolve("bad.json"), "{\"text\": {{text}}");
        Files.writeString(dir.resolve("unknown.json"), "{\"text\": \"{{txet}}\"}");

        assertThat(refusal("""
                notify:
                  webhook: {url: env:H, template: bad.json}
                """)).contains(":4: notify.webhook.template (bad.json) is not a JSON object once its placeholders are filled");
        assertThat(refusal("""
                notify:
                  webhook: {url: env:H, template: unknown.json}
                """)).contains("uses unknown placeholders [txet]");
        assertThat(refusal("""
                notify:
                  webhook: {url: env:H, template: missing.json}
                """)).contains("notify.webhook.template names").contains("cannot be read");
    }
}
