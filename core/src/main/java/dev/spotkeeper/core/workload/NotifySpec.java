package dev.spotkeeper.core.workload;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who is told about the workload's lifecycle, and of what: a Slack incoming webhook or a Slack app (Web API
 * {@code chat.postMessage}), an SNS topic, a generic webhook. Secret values are {@link Reference}s only.
 *
 * @param on the events sent (all when the file does not say)
 * @param language {@code en} or {@code ja}
 */
public record NotifySpec(Optional<Slack> slack, Optional<Sns> sns, Optional<Webhook> webhook, Set<NotifyEvent> on,
                         String language) {
    public static final Set<String> LANGUAGES = Set.of("en", "ja");
    public static final NotifySpec NONE = new NotifySpec(Optional.empty(), Optional.empty(), Optional.empty(),
            EnumSet.allOf(NotifyEvent.class), "en");

    /**
     * Slack: either an incoming webhook ({@code webhookUrl}) or a bot token with a channel id ({@code token},
     * {@code channel}).
     */
    public record Slack(Optional<Reference> webhookUrl, Optional<Reference> token, String channel) {
        public Slack {
            requireNonNull(webhookUrl, "webhookUrl is null");
            requireNonNull(token, "token is null");
            requireNonNull(channel, "channel is null");
            if (webhookUrl.isPresent() == token.isPresent()) {
                throw new IllegalArgumentException("slack needs either webhookUrl or token, not both or neither");
            }
            if (token.isPresent() && channel.isEmpty()) {
                throw new IllegalArgumentException("slack with a token needs a channel");
            }
        }

        public static Slack webhook(Reference url) {
            return new Slack(Optional.of(url), Optional.empty(), "");
        }

        public static Slack webApi(Reference token, String channel) {
            return new Slack(Optional.empty(), Optional.of(token), channel);
        }
    }

    /** An SNS topic; its ARN names no secret, so it is written as it is. */
    public record Sns(String topicArn) {
        public Sns {
            requireNonNull(topicArn, "topicArn is null");
        }
    }

    /**
     * A webhook that gets a JSON body: {@code template} with its {@code {{placeholders}}} filled (empty: the
     * default body), as the text of the template file read at submit.
     */
    public record Webhook(Reference url, String template) {
        public Webhook {
            requireNonNull(url, "url is null");
            requireNonNull(template, "template is null");
        }
    }

    public NotifySpec {
        requireNonNull(slack, "slack is null");
        requireNonNull(sns, "sns is null");
        requireNonNull(webhook, "webhook is null");
        on = on.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(on));
        requireNonNull(language, "language is null");
        if (!LANGUAGES.contains(language)) {
            throw new IllegalArgumentException("language must be en or ja, was " + language);
        }
    }

    /** True when no sink is named: nobody is told anything. */
    public boolean isEmpty() {
        return slack.isEmpty() && sns.isEmpty() && webhook.isEmpty();
    }

    public boolean wants(NotifyEvent e) {
        return on.contains(e);
    }
}
