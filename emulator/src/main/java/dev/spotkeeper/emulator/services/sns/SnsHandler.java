package dev.spotkeeper.emulator.services.sns;

import com.sun.net.httpserver.HttpExchange;
import dev.spotkeeper.emulator.spi.ServiceHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The SNS query API (2010-03-31) at the edge under the signing name {@code sns}: form parameters in the body (or the
 * query, for a SubscribeURL), XML answers. CreateTopic, DeleteTopic, Subscribe, ConfirmSubscription,
 * ListSubscriptionsByTopic, Publish; Unsubscribe is not emulated.
 */
final class SnsHandler implements ServiceHandler {
    static final String NS = "http://sns.amazonaws.com/doc/2010-03-31/";

    private final SnsService sns;
    private final String account;

    SnsHandler(SnsService sns, String account) {
        this.sns = sns;
        this.account = account;
    }

    @Override
    public String service() {
        return "sns";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            Map<String, String> p = params(exchange);
            String action = p.getOrDefault("Action", "");
            reply(exchange, 200, action + "Response", action + "Result", result(action, p));
        } catch (SnsException e) {
            error(exchange, e.status(), e.code(), e.getMessage());
        } catch (RuntimeException e) {
            error(exchange, 500, "InternalError", "The emulator failed to handle the request: " + e);
        }
    }

    private String result(String action, Map<String, String> p) {
        return switch (action) {
            case "CreateTopic" -> tag("TopicArn", sns.createTopic(p.get("Name")));
            case "DeleteTopic" -> {
                sns.deleteTopic(p.get("TopicArn"));
                yield null;
            }
            case "Subscribe" -> {
                Subscription s = sns.subscribe(p.get("TopicArn"), p.get("Protocol"), p.get("Endpoint"),
                        "true".equalsIgnoreCase(attribute(p, "Attributes.entry", "RawMessageDelivery")));
                boolean returnArn = "true".equalsIgnoreCase(p.get("ReturnSubscriptionArn"));
                yield tag("SubscriptionArn", s.confirmed || returnArn ? s.arn : "pending confirmation");
            }
            case "ConfirmSubscription" -> tag("SubscriptionArn", sns.confirmSubscription(p.get("TopicArn"),
                    p.get("Token")));
            case "ListSubscriptionsByTopic" -> {
                StringBuilder sb = new StringBuilder("<Subscriptions>");
                for (Subscription s : sns.subscriptions(p.get("TopicArn"))) {
                    sb.append("<member>").append(tag("TopicArn", s.topicArn)).append(tag("Protocol", s.protocol))
                            .append(tag("SubscriptionArn", s.shownArn())).append(tag("Owner", account))
                            .append(tag("Endpoint", s.endpoint)).append("</member>");
                }
                yield sb.append("</Subscriptions>").toString();
            }
            case "Publish" -> {
                Map<String, String> attrs = new LinkedHashMap<>();
                for (int i = 1; p.containsKey("MessageAttributes.entry." + i + ".Name"); i++) {
                    String prefix = "MessageAttributes.entry." + i;
                    attrs.put(p.get(prefix + ".Name"), p.getOrDefault(prefix + ".Value.StringValue", ""));
                }
                yield tag("MessageId", sns.publish(p.get("TopicArn"), p.get("Subject"), p.get("Message"), attrs));
            }
            default -> throw new SnsException("InvalidAction", 400, "The action " + action
                    + " is not valid for this endpoint (the emulator's SNS answers CreateTopic, DeleteTopic, Subscribe,"
                    + " ConfirmSubscription, ListSubscriptionsByTopic and Publish)");
        };
    }

    /** The value of the entry whose {@code key} is {@code name}, in a query map such as {@code Attributes.entry.N}. */
    private static String attribute(Map<String, String> p, String prefix, String name) {
        for (int i = 1; p.containsKey(prefix + "." + i + ".key"); i++) {
            if (name.equals(p.get(prefix + "." + i + ".key"))) {
                return p.get(prefix + "." + i + ".value");
            }
        }
        return null;
    }

    private static Map<String, String> params(HttpExchange ex) throws IOException {
        Map<String, String> out = new HashMap<>();
        parse(ex.getRequestURI().getRawQuery(), out);
        parse(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), out);
        return out;
    }

    private static void parse(String form, Map<String, String> out) {
        if (form == null || form.isEmpty()) {
            return;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
    }

    static String tag(String name, String value) {
        return "<" + name + ">" + escape(value) + "</" + name + ">";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void reply(HttpExchange ex, int status, String response, String result, String inner)
            throws IOException {
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><" + response + " xmlns=\"" + NS + "\">"
                + (inner == null ? "" : "<" + result + ">" + inner + "</" + result + ">")
                + "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata></" + response
                + ">";
        send(ex, status, body);
    }

    private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        send(ex, status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ErrorResponse xmlns=\"" + NS + "\"><Error>"
                + "<Type>Sender</Type>" + tag("Code", code) + tag("Message", message) + "</Error><RequestId>"
                + UUID.randomUUID() + "</RequestId></ErrorResponse>");
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/xml");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }
}
