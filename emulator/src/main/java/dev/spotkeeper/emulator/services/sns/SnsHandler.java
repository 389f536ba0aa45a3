package dev.spotkeeper.emulator.services.sns;

import dev.spotkeeper.emulator.query.QueryHandler;
import dev.spotkeeper.emulator.query.QueryParams;
import dev.spotkeeper.emulator.query.QueryXml;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SNS query API (2010-03-31) at the edge under the signing name {@code sns}, on the query protocol's shared
 * handler: form parameters in the body (or the query, for a SubscribeURL), XML answers, errors as SNS writes them.
 * CreateTopic, DeleteTopic, Subscribe, ConfirmSubscription, ListSubscriptionsByTopic, Publish; Unsubscribe is not
 * emulated.
 */
final class SnsHandler {
    static final String NS = "http://sns.amazonaws.com/doc/2010-03-31/";

    private SnsHandler() {
    }

    static QueryHandler create(SnsService sns, String account) {
        return new QueryHandler("sns", "2010-03-31", NS)
                .action("CreateTopic", c -> c.response().el("TopicArn", sns.createTopic(value(c.params(), "Name")))
                        .finish())
                .action("DeleteTopic", c -> {
                    sns.deleteTopic(value(c.params(), "TopicArn"));
                    return c.response().finish();
                })
                .action("Subscribe", c -> {
                    QueryParams p = c.params();
                    Subscription s = sns.subscribe(value(p, "TopicArn"), value(p, "Protocol"), value(p, "Endpoint"),
                            "true".equalsIgnoreCase(attribute(p, "Attributes.entry", "RawMessageDelivery")));
                    boolean returnArn = p.bool("ReturnSubscriptionArn").orElse(false);
                    return c.response().el("SubscriptionArn", s.confirmed || returnArn ? s.arn
                            : "pending confirmation").finish();
                })
                .action("ConfirmSubscription", c -> c.response().el("SubscriptionArn",
                        sns.confirmSubscription(value(c.params(), "TopicArn"), value(c.params(), "Token"))).finish())
                .action("ListSubscriptionsByTopic", c -> {
                    QueryXml x = c.response().open("Subscriptions");
                    for (Subscription s : sns.subscriptions(value(c.params(), "TopicArn"))) {
                        x.open("member").el("TopicArn", s.topicArn).el("Protocol", s.protocol)
                                .el("SubscriptionArn", s.shownArn()).el("Owner", account).el("Endpoint", s.endpoint)
                                .close();
                    }
                    return x.finish();
                })
                .action("Publish", c -> {
                    QueryParams p = c.params();
                    Map<String, String> attrs = new LinkedHashMap<>();
                    for (QueryParams entry : p.entries("MessageAttributes.entry")) {
                        attrs.put(entry.require("Name"), entry.get("Value.StringValue").orElse(""));
                    }
                    return c.response().el("MessageId", sns.publish(value(p, "TopicArn"), value(p, "Subject"),
                            value(p, "Message"), attrs)).finish();
                });
    }

    /** A parameter as given, or null: SNS's own checks word what is missing. */
    private static String value(QueryParams p, String name) {
        return p.get(name).orElse(null);
    }

    /** The value of the entry whose {@code key} is {@code name}, in a query map such as {@code Attributes.entry.N}. */
    private static String attribute(QueryParams p, String prefix, String name) {
        for (QueryParams entry : p.entries(prefix)) {
            if (name.equals(entry.get("key").orElse(null))) {
                return entry.get("value").orElse(null);
            }
        }
        return null;
    }
}
