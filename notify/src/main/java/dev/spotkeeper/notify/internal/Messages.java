package dev.spotkeeper.notify.internal;

import dev.spotkeeper.core.store.EventFields;
import dev.spotkeeper.notify.Message;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * Turns an event's facts into a {@link Message} in the workload's language, from the resource bundles
 * {@code dev/spotkeeper/notify/messages*.properties}: the workload, the event, the instance, the pool and price, the
 * cost so far, what happens next, and the controller's own words.
 */
public final class Messages {
    private static final String BUNDLE = "dev.spotkeeper.notify.messages";

    private final ResourceBundle bundle;
    private final String language;

    public Messages(String language) {
        this.language = language;
        // The root bundle is English: no fallback to the JVM's default locale.
        this.bundle = ResourceBundle.getBundle(BUNDLE, Locale.forLanguageTag(language),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public String text(String key, Object... args) {
        String pattern = bundle.getString(key);
        return args.length == 0 ? pattern : new MessageFormat(pattern, Locale.ROOT).format(args);
    }

    /** What happens next: by the event, or by the event and its reason where that changes it (a data loss). */
    private String next(EventFacts f) {
        String byReason = "next." + f.event() + "." + f.typed().reason();
        return !f.typed().reason().isEmpty() && known(byReason) ? text(byReason) : text("next." + f.event());
    }

    private boolean known(String key) {
        return bundle.containsKey(key);
    }

    /** A move's end: {@code spot}, {@code on-demand} and {@code none} in the language, a pool key as it is. */
    private String place(String where) {
        return switch (where) {
            case "spot" -> text("value.spot");
            case "on-demand" -> text("value.onDemand");
            case "none" -> text("value.none");
            default -> where;
        };
    }

    public Message render(EventFacts f) {
        String eventName = text("event." + f.event());
        String title = f.count() > 1 ? text("title.summary", f.workload(), eventName, String.valueOf(f.count()))
                : text("title", f.workload(), eventName);
        List<Message.Fact> facts = new ArrayList<>();
        facts.add(new Message.Fact(text("label.workload"), f.workload()));
        facts.add(new Message.Fact(text("label.event"), eventName));
        if (!f.instanceId().isEmpty()) {
            facts.add(new Message.Fact(text("label.instance"), f.instanceId()));
        }
        if (!f.pool().isEmpty()) {
            facts.add(new Message.Fact(text("label.pool"), f.pool()));
        }
        f.pricePerHour().ifPresent(p -> facts.add(new Message.Fact(text("label.price"), text("value.price",
                String.format(Locale.ROOT, "%.4f", p), text(f.spot() ? "value.spot" : "value.onDemand")))));
        f.typed().onDemandPricePerHour().filter(p -> f.spot()).ifPresent(p -> facts.add(new Message.Fact(
                text("label.onDemandPrice"), text("value.perHour", String.format(Locale.ROOT, "%.4f", p)))));
        if (!f.typed().checkpoint().isEmpty()) {
            facts.add(new Message.Fact(text("label.checkpoint"), f.typed().checkpoint()));
        }
        f.typed().bytes().ifPresent(b -> facts.add(new Message.Fact(text("label.size"),
                String.format(Locale.ROOT, "%.1f MB", b / 1e6))));
        f.typed().duration().ifPresent(d -> facts.add(new Message.Fact(text(f.event().equals("primary-moved")
                ? "label.writesRefused" : "label.took"), text("value.seconds",
                String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0)))));
        EventFields t = f.typed();
        if (!t.from().isEmpty()) {
            facts.add(new Message.Fact(text("label.from"), place(t.from())));
        }
        if (!t.to().isEmpty()) {
            facts.add(new Message.Fact(text("label.to"), place(t.to())));
        }
        if (!t.reason().isEmpty()) {
            facts.add(new Message.Fact(text("label.reason"), known("reason." + t.reason()) ? text("reason." + t.reason())
                    : t.reason()));
        }
        t.savingPerHour().ifPresent(v -> facts.add(new Message.Fact(text("label.saving"), f.pricePerHour()
                .filter(p -> p > 0).map(p -> text("value.saving", String.format(Locale.ROOT, "%.4f", v),
                        String.format(Locale.ROOT, "%.0f", 100 * v / p)))
                .orElse(text("value.perHour", String.format(Locale.ROOT, "%.4f", v))))));
        t.lastShipped().ifPresent(at -> facts.add(new Message.Fact(text("label.lastShipped"), at.toString())));
        t.changeAt().ifPresent(at -> facts.add(new Message.Fact(text("label.changeAt"), at.toString())));
        t.healthy().ifPresent(h -> facts.add(new Message.Fact(text("label.replicas"), text("value.replicas",
                String.valueOf(h), t.desired().map(String::valueOf).orElse("?")))));
        t.unshipped().ifPresent(d -> facts.add(new Message.Fact(text("label.unshipped"), text("value.seconds",
                String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0)))));
        f.timeLeft().ifPresent(d -> facts.add(new Message.Fact(text("label.timeLeft"), text("value.timeLeft",
                String.valueOf(Math.max(0, d.toSeconds()) / 60), String.valueOf(Math.max(0, d.toSeconds()) % 60)))));
        f.costSoFar().ifPresent(c -> facts.add(new Message.Fact(text("label.cost"),
                String.format(Locale.ROOT, "$%.4f", c))));
        f.savings().ifPresent(s -> facts.add(new Message.Fact(text("label.savings"),
                String.format(Locale.ROOT, "%.0f %%", s * 100))));
        if (f.count() > 1) {
            facts.add(new Message.Fact(text("label.grouped"), text("value.grouped", String.valueOf(f.count()),
                    String.valueOf(Math.max(1, f.window().toMinutes())))));
        }
        return new Message(f.id(), f.workload(), f.event(), f.instanceId(), f.pool(), f.costSoFar(), f.time(),
                language, title, facts, next(f), f.detail(), f.count());
    }
}
