package dev.spotkeeper.notify.internal;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.workload.WebhookTemplate;
import dev.spotkeeper.notify.Delivery;
import dev.spotkeeper.notify.Message;
import dev.spotkeeper.notify.Notifier;
import dev.spotkeeper.notify.NotifierContext;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A generic webhook: the workload's JSON template with its placeholders filled (or the default body), and the
 * event's stable id in the {@code X-Spotkeeper-Event-Id} header so that a receiver recognises a retry.
 */
final class WebhookNotifier implements Notifier {
    static final String ID_HEADER = "X-Spotkeeper-Event-Id";

    private final NotifierContext ctx;
    private final URI url;
    private final String template;

    WebhookNotifier(NotifierContext ctx, String url, String template) {
        this.ctx = ctx;
        this.url = Http.url(url);
        this.template = template;
    }

    @Override
    public String describe() {
        return "webhook (" + url.getHost() + ")";
    }

    @Override
    public Delivery send(Message m) {
        Map<String, String> values = values(m);
        String body = template.isEmpty() ? defaultBody(m, values) : WebhookTemplate.fill(template, values);
        Object r = Http.post(ctx.http(), url, Map.of(ID_HEADER, m.id()), body, ctx.requestTimeout());
        return r instanceof Http.Answer a ? Http.byStatus(a) : (Delivery) r;
    }

    /** The placeholders' values as members, with the cost and the count as numbers. */
    private static String defaultBody(Message m, Map<String, String> values) {
        Map<String, Object> body = new LinkedHashMap<>(values);
        body.put("costSoFar", m.costSoFar().orElse(null));
        body.put("count", m.count());
        return Json.write(body);
    }

    static Map<String, String> values(Message m) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("id", m.id());
        v.put("workload", m.workload());
        v.put("event", m.event());
        v.put("title", m.title());
        v.put("text", m.plainText());
        v.put("instance", m.instanceId());
        v.put("pool", m.pool());
        v.put("costSoFar", m.costSoFar().map(c -> String.format(Locale.ROOT, "%.4f", c)).orElse(""));
        v.put("next", m.next());
        v.put("time", m.time().toString());
        v.put("count", String.valueOf(m.count()));
        v.put("language", m.language());
        return v;
    }
}
