package dev.spotkeeper.notify.internal;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.notify.Delivery;
import dev.spotkeeper.notify.Message;
import dev.spotkeeper.notify.Notifier;
import dev.spotkeeper.notify.NotifierContext;
import java.util.Map;
import java.util.Set;

/**
 * Slack's Web API {@code chat.postMessage} with a bot token: the same Block Kit as the webhook, to a channel id.
 * Slack answers 200 with {@code {"ok": false, "error": …}} for most failures; the few that pass are retried.
 */
final class SlackApiNotifier implements Notifier {
    /** Errors of chat.postMessage that a later attempt may not get. */
    private static final Set<String> PASSING = Set.of("ratelimited", "service_unavailable", "internal_error",
            "fatal_error", "request_timeout");

    private final NotifierContext ctx;
    private final String token;
    private final String channel;
    private final Messages texts;

    SlackApiNotifier(NotifierContext ctx, String token, String channel, String language) {
        this.ctx = ctx;
        this.token = token;
        this.channel = channel;
        this.texts = new Messages(language);
    }

    @Override
    public String describe() {
        return "Slack chat.postMessage to " + channel + " (" + ctx.slackApi().getHost() + ")";
    }

    @Override
    public Delivery send(Message m) {
        Map<String, Object> body = BlockKit.obj("channel", channel);
        body.putAll(BlockKit.body(m, texts));
        Object r = Http.post(ctx.http(), ctx.slackApi().resolve("chat.postMessage"),
                Map.of("Authorization", "Bearer " + token), Json.write(body), ctx.requestTimeout());
        if (!(r instanceof Http.Answer a)) {
            return (Delivery) r;
        }
        if (a.status() != 200) {
            return Http.byStatus(a);
        }
        Object ok;
        Object error;
        try {
            Map<String, Object> answer = Json.parseObject(a.body());
            ok = answer.get("ok");
            error = answer.get("error");
        } catch (RuntimeException e) {
            return Delivery.retry("HTTP 200 but no JSON answer");
        }
        if (Boolean.TRUE.equals(ok)) {
            return Delivery.ok("ok");
        }
        String why = error instanceof String s ? s : "not ok";
        return PASSING.contains(why) ? Delivery.retry(why) : Delivery.refused(why);
    }

}
