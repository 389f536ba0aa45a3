package dev.spotkeeper.core.workload;

import dev.spotkeeper.core.Names;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the workload file's {@code notify:} mapping. A secret (webhook URL, token) must be a {@link Reference}: a
 * literal is refused, saying why and what to write, and the literal itself is never repeated (its host at most).
 */
final class NotifySpecReader {
    private static final Pattern TOPIC_ARN = Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}");
    private static final Pattern CHANNEL = Pattern.compile("[CGD][A-Z0-9]{8,}");

    private NotifySpecReader() {
    }

    static NotifySpec read(String file, SpecFields n) {
        SpecFields slackFields = n.child("slack");
        boolean hasSlack = n.has("slack");
        Optional<NotifySpec.Slack> slack = hasSlack ? Optional.of(slack(slackFields)) : Optional.empty();
        slackFields.finish();
        SpecFields snsFields = n.child("sns");
        Optional<NotifySpec.Sns> sns = n.has("sns") ? Optional.of(sns(snsFields)) : Optional.empty();
        snsFields.finish();
        SpecFields hookFields = n.child("webhook");
        Optional<NotifySpec.Webhook> webhook = n.has("webhook") ? Optional.of(webhook(file, hookFields))
                : Optional.empty();
        hookFields.finish();
        Set<NotifyEvent> on = on(n);
        String language = n.string("language", "en").trim().toLowerCase(Locale.ROOT);
        if (!NotifySpec.LANGUAGES.contains(language)) {
            throw n.invalid("language", "must be en or ja; was '" + n.string("language", "") + "'");
        }
        n.finish();
        if (slack.isEmpty() && sns.isEmpty() && webhook.isEmpty()
                && (n.has("on") || n.has("language"))) {
            throw n.invalid("on", "names events, but notify names no sink to send them to: add slack, sns or"
                    + " webhook under notify");
        }
        return new NotifySpec(slack, sns, webhook, on, language);
    }

    private static NotifySpec.Slack slack(SpecFields s) {
        boolean hook = s.has("webhookUrl");
        boolean token = s.has("token");
        if (hook == token) {
            throw s.invalid(hook ? "token" : "webhookUrl", hook
                    ? "cannot be set together with webhookUrl: use an incoming webhook (webhookUrl) or a Slack app's"
                    + " bot token with a channel (token, channel)"
                    : "is required: write {webhookUrl: env:SLACK_WEBHOOK_URL} for an incoming webhook, or"
                    + " {token: secret:NAME, channel: C0123456789} for chat.postMessage");
        }
        if (hook) {
            if (s.has("channel")) {
                throw s.invalid("channel", "is for the Web API (token); an incoming webhook posts to the channel it"
                        + " was made for");
            }
            return NotifySpec.Slack.webhook(reference(s, "webhookUrl", "SLACK_WEBHOOK_URL"));
        }
        Reference t = reference(s, "token", "SLACK_BOT_TOKEN");
        String channel = s.string("channel", "").trim();
        if (channel.isEmpty()) {
            throw s.invalid("token", "needs a channel: add channel: C0123456789 (the channel's id, from its details"
                    + " in Slack)");
        }
        if (!CHANNEL.matcher(channel).matches()) {
            throw s.invalid("channel", "must be a channel id like C0123456789 (from the channel's details in Slack),"
                    + " not its name; was '" + channel + "'");
        }
        return NotifySpec.Slack.webApi(t, channel);
    }

    private static NotifySpec.Sns sns(SpecFields s) {
        String arn = s.string("topicArn", "").trim();
        if (arn.isEmpty()) {
            throw s.invalid("topicArn", "is required: the topic's ARN, like"
                    + " arn:aws:sns:us-east-1:123456789012:spot-events");
        }
        if (!TOPIC_ARN.matcher(arn).matches()) {
            throw s.invalid("topicArn", "must be an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:spot-events;"
                    + " was '" + arn + "'");
        }
        return new NotifySpec.Sns(arn);
    }

    private static NotifySpec.Webhook webhook(String file, SpecFields w) {
        if (!w.has("url")) {
            throw w.invalid("url", "is required: write url: env:OPS_HOOK_URL");
        }
        Reference url = reference(w, "url", "OPS_HOOK_URL");
        String template = "";
        if (w.has("template")) {
            String name = w.string("template", "").trim();
            Path parent = Path.of(file).toAbsolutePath().getParent();
            Path path = parent == null ? Path.of(name) : parent.resolve(name);
            try {
                template = Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw w.invalid("template", "names " + path + ", which cannot be read (" + e.getClass().getSimpleName()
                        + "); the template is a JSON file, relative to the workload file, with placeholders such as"
                        + " {{text}}");
            }
            String t = template;
            WebhookTemplate.problem(t).ifPresent(p -> {
                throw w.invalid("template", "(" + name + ") " + p);
            });
        }
        return new NotifySpec.Webhook(url, template);
    }

    private static Set<NotifyEvent> on(SpecFields n) {
        List<SpecFields.Item> items = n.items("on");
        if (items.isEmpty()) {
            if (n.has("on")) {
                throw n.invalid("on", "names no event; leave it out to be told of all of them");
            }
            return EnumSet.allOf(NotifyEvent.class);
        }
        Set<NotifyEvent> out = EnumSet.noneOf(NotifyEvent.class);
        List<String> names = EnumSet.allOf(NotifyEvent.class).stream().map(NotifyEvent::wireName).toList();
        for (SpecFields.Item i : items) {
            String name = i.text().toLowerCase(Locale.ROOT);
            Optional<NotifyEvent> e = NotifyEvent.byWireName(name);
            if (e.isEmpty()) {
                throw n.invalidAt(i.line(), "on", "names an unknown event '" + i.text() + "'"
                        + Names.didYouMean(name, names) + "; events: " + String.join(", ", names));
            }
            out.add(e.get());
        }
        return out;
    }

    /** The value of {@code key} as a reference; a literal is refused without repeating it. */
    private static Reference reference(SpecFields f, String key, String suggestedEnv) {
        String text = f.string(key, "").trim();
        Optional<Reference> r = Reference.parse(text);
        if (r.isPresent()) {
            return r.get();
        }
        String write = "write " + key + ": env:" + suggestedEnv + " and set " + suggestedEnv
                + " where the controller runs, or keep it in Secrets Manager and write " + key + ": secret:NAME";
        if (text.startsWith("env:") || text.startsWith("secret:")) {
            throw f.invalid(key, "is not a valid reference: env: takes a variable name (letters, digits, _), secret:"
                    + " a Secrets Manager name (letters, digits and /_+=.@-); " + write);
        }
        throw f.invalid(key, "must be a reference, not the " + (key.equals("token") ? "token" : "URL")
                + " itself" + host(text) + ": a secret written in the workload file ends up in version control, in the"
                + " state store and in logs; " + write);
    }

    private static String host(String text) {
        try {
            String h = URI.create(text).getHost();
            return h == null ? "" : " (a URL to " + h + ")";
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
