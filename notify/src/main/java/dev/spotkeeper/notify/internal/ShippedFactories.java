package dev.spotkeeper.notify.internal;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.workload.NotifySpec;
import dev.spotkeeper.notify.Notifier;
import dev.spotkeeper.notify.NotifierContext;
import dev.spotkeeper.notify.NotifierFactory;
import java.util.List;
import java.util.function.Supplier;

/** The sinks spotkeeper ships, each a {@link NotifierFactory} registered for {@link java.util.ServiceLoader}. */
public final class ShippedFactories {
    private ShippedFactories() {
    }

    /** Slack: an incoming webhook, or chat.postMessage with a bot token. */
    public static final class Slack implements NotifierFactory {
        @Override
        public List<Notifier> create(NotifySpec spec, NotifierContext ctx) {
            return spec.slack().map(s -> List.of(s.webhookUrl().isPresent()
                    ? usable("Slack webhook (" + s.webhookUrl().get() + ")", () -> new SlackWebhookNotifier(ctx,
                            ctx.resolve(s.webhookUrl().get()), spec.language()))
                    : usable("Slack chat.postMessage to " + s.channel(), () -> new SlackApiNotifier(ctx,
                            ctx.resolve(s.token().get()), s.channel(), spec.language())))).orElse(List.of());
        }
    }

    /** The generic webhook with its JSON template. */
    public static final class Webhook implements NotifierFactory {
        @Override
        public List<Notifier> create(NotifySpec spec, NotifierContext ctx) {
            return spec.webhook().map(w -> List.of(usable("webhook (" + w.url() + ")",
                    () -> new WebhookNotifier(ctx, ctx.resolve(w.url()), w.template())))).orElse(List.of());
        }
    }

    /** An SNS topic, when the process has the topic port. */
    public static final class Sns implements NotifierFactory {
        @Override
        public List<Notifier> create(NotifySpec spec, NotifierContext ctx) {
            return spec.sns().map(s -> List.<Notifier>of(ctx.topics().<Notifier>map(t -> new SnsNotifier(t, s.topicArn()))
                    .orElseGet(() -> new Unusable("SNS topic " + s.topicArn(), "this process has no SNS client")))).orElse(List.of());
        }
    }

    /** The notifier, or one that says why it cannot be made (what it names, never a resolved value). */
    private static Notifier usable(String describe, Supplier<Notifier> make) {
        try {
            return make.get();
        } catch (SpotkeeperException e) {
            return new Unusable(describe, e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Unusable(describe, "the value it names is not an http(s) URL");
        }
    }
}
