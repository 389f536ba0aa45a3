package dev.spotkeeper.notify.internal;

import dev.spotkeeper.core.ErrorType;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.TopicPort;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.notify.Delivery;
import dev.spotkeeper.notify.Message;
import dev.spotkeeper.notify.Notifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An SNS topic, through core's {@link TopicPort}: the message's content as JSON, with a subject and the stable id,
 * event and workload as message attributes. SNS subjects are ASCII only, so the subject is the workload and the
 * event's name whatever the language; the JSON carries the text in the workload's language.
 */
final class SnsNotifier implements Notifier {
    /** SNS: "must be less than 100 characters long". */
    static final int SUBJECT = 99;

    private final TopicPort topics;
    private final String topicArn;

    SnsNotifier(TopicPort topics, String topicArn) {
        this.topics = topics;
        this.topicArn = topicArn;
    }

    @Override
    public String describe() {
        return "SNS topic " + topicArn;
    }

    @Override
    public Delivery send(Message m) {
        try {
            String id = topics.publish(topicArn, subject(m), json(m), Map.of("spotkeeper.id", m.id(),
                    "spotkeeper.event", m.event(), "spotkeeper.workload", m.workload()));
            return Delivery.ok("message id " + id);
        } catch (SpotkeeperException e) {
            return e.code().type() == ErrorType.TRANSIENT ? Delivery.retry(e.getMessage()) : Delivery.refused(e.getMessage());
        }
    }

    static String subject(Message m) {
        String s = ("spotkeeper: " + m.workload() + " " + m.event() + (m.count() > 1 ? " x" + m.count() : ""))
                .replaceAll("[^\\x20-\\x7e]", "?");
        return s.length() > SUBJECT ? s.substring(0, SUBJECT) : s;
    }

    static String json(Message m) {
        Map<String, Object> j = new LinkedHashMap<>();
        WebhookNotifier.values(m).forEach(j::put);
        j.put("costSoFar", m.costSoFar().orElse(null));
        j.put("count", m.count());
        List<Object> facts = new ArrayList<>();
        for (Message.Fact f : m.facts()) {
            facts.add(BlockKit.obj("label", f.label(), "value", f.value()));
        }
        j.put("facts", facts);
        j.put("detail", m.detail());
        return Json.write(j);
    }
}
