package dev.spotkeeper.notify.internal;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.notify.Delivery;
import dev.spotkeeper.notify.Message;
import dev.spotkeeper.notify.Notifier;
import dev.spotkeeper.notify.NotifierContext;
import java.net.URI;
import java.util.Map;

/** A Slack incoming webhook: Block Kit with the plain-text fallback; Slack answers 200 {@code ok}. */
final class SlackWebhookNotifier implements Notifier {
    private final NotifierContext ctx;
    private final URI url;
    private final Messages texts;

    SlackWebhookNotifier(NotifierContext ctx, String url, String language) {
        this.ctx = ctx;
        this.url = Http.url(url);
        this.texts = new Messages(language);
    }

    @Override
    public String describe() {
        return "Slack webhook (" + url.getHost() + ")";
    }

    @Override
    public Delivery send(Message m) {
        Object r = Http.post(ctx.http(), url, Map.of(), Json.write(BlockKit.body(m, texts)), ctx.requestTimeout());
        return r instanceof Http.Answer a ? Http.byStatus(a) : (Delivery) r;
    }
}
