package dev.spotkeeper.core.workload;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The canonical JSON of a {@link NotifySpec}: {@code {"slack":{"webhookUrl"}|{"token","channel"}, "sns":{"topicArn"},
 * "webhook":{"url","template"}, "on":[…], "language"}}, each sink only when set, references as their text.
 */
final class NotifyJson {
    private NotifyJson() {
    }

    static Map<String, Object> write(NotifySpec n) {
        Map<String, Object> m = new LinkedHashMap<>();
        n.slack().ifPresent(s -> {
            Map<String, Object> slack = new LinkedHashMap<>();
            s.webhookUrl().ifPresent(r -> slack.put("webhookUrl", r.toString()));
            s.token().ifPresent(r -> {
                slack.put("token", r.toString());
                slack.put("channel", s.channel());
            });
            m.put("slack", slack);
        });
        n.sns().ifPresent(s -> m.put("sns", WorkloadSpecJson.ordered("topicArn", s.topicArn())));
        n.webhook().ifPresent(w -> m.put("webhook", WorkloadSpecJson.ordered("url", w.url().toString(),
                "template", w.template())));
        Set<String> on = new TreeSet<>();
        n.on().forEach(e -> on.add(e.wireName()));
        m.put("on", on);
        m.put("language", n.language());
        return m;
    }

    static NotifySpec read(JsonMembers m) {
        Optional<NotifySpec.Slack> slack = Optional.empty();
        if (m.has("slack")) {
            JsonMembers s = m.child("slack");
            Optional<String> hook = s.optionalString("webhookUrl");
            slack = Optional.of(hook.isPresent() ? NotifySpec.Slack.webhook(reference(s, "webhookUrl", hook.get()))
                    : NotifySpec.Slack.webApi(reference(s, "token", s.string("token")), s.string("channel")));
            s.finish();
        }
        Optional<NotifySpec.Sns> sns = Optional.empty();
        if (m.has("sns")) {
            JsonMembers s = m.child("sns");
            sns = Optional.of(new NotifySpec.Sns(s.string("topicArn")));
            s.finish();
        }
        Optional<NotifySpec.Webhook> webhook = Optional.empty();
        if (m.has("webhook")) {
            JsonMembers w = m.child("webhook");
            webhook = Optional.of(new NotifySpec.Webhook(reference(w, "url", w.string("url")), w.string("template")));
            w.finish();
        }
        Set<NotifyEvent> on = EnumSet.noneOf(NotifyEvent.class);
        for (String name : m.strings("on")) {
            on.add(NotifyEvent.byWireName(name).orElseThrow(() -> m.invalid("on", "names an unknown event '" + name
                    + "'")));
        }
        String language = m.string("language");
        m.finish();
        try {
            return new NotifySpec(slack, sns, webhook, on, language);
        } catch (IllegalArgumentException e) {
            throw m.invalidHere(e.getMessage());
        }
    }

    private static Reference reference(JsonMembers m, String key, String text) {
        return Reference.parse(text).orElseThrow(() -> m.invalid(key, "must be an env: or secret: reference"));
    }

}
