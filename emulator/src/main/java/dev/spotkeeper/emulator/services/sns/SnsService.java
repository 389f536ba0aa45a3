package dev.spotkeeper.emulator.services.sns;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.query.QueryError;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The emulator's SNS: topics, subscriptions (SQS queues of the embedded server, HTTP endpoints on this machine) and
 * delivery. Publish answers at once and delivers on a thread of its own, as SNS does; an HTTP subscription is sent a
 * {@code SubscriptionConfirmation} and gets notifications only once confirmed. Messages are not signed (there is no
 * certificate to check them against): {@code Signature} is empty.
 */
final class SnsService implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.spotkeeper.emulator.sns");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    private final String region;
    private final String account;
    private final Clock clock;
    private final URI edge;
    private final Delivery delivery;
    private final Random ids;
    private final Map<String, Map<String, Subscription>> topics = new LinkedHashMap<>();
    private final ExecutorService deliveries = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "emulator-sns-delivery");
        t.setDaemon(true);
        return t;
    });

    /** Where messages go: a queue of the embedded SQS, an HTTP endpoint. */
    interface Delivery {
        void toQueue(String queueArn, String body);

        void toHttp(String url, Map<String, String> headers, String body);
    }

    SnsService(String region, String account, Clock clock, URI edge, Delivery delivery, long seed) {
        this.region = region;
        this.account = account;
        this.clock = clock;
        this.edge = edge;
        this.delivery = delivery;
        this.ids = new Random(seed);
    }

    synchronized String createTopic(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw invalid("Invalid parameter: Topic Name");
        }
        String arn = "arn:aws:sns:" + region + ":" + account + ":" + name;
        topics.putIfAbsent(arn, new LinkedHashMap<>());
        return arn;
    }

    synchronized void deleteTopic(String arn) {
        topics.remove(arn);
    }

    synchronized Subscription subscribe(String topicArn, String protocol, String endpoint, boolean raw) {
        Map<String, Subscription> subs = topic(topicArn);
        if (endpoint == null || endpoint.isBlank()) {
            throw invalid("Invalid parameter: Endpoint");
        }
        for (Subscription s : subs.values()) {
            if (s.protocol.equals(protocol) && s.endpoint.equals(endpoint)) {
                return s;
            }
        }
        String arn = topicArn + ":" + uuid();
        Subscription s = switch (protocol == null ? "" : protocol) {
            case "sqs" -> {
                if (!endpoint.startsWith("arn:aws:sqs:")) {
                    throw invalid("Invalid parameter: SQS endpoint ARN");
                }
                yield new Subscription(arn, topicArn, "sqs", endpoint, "", raw, true);
            }
            case "http", "https" -> {
                if (!endpoint.startsWith(protocol + "://")) {
                    throw invalid("Invalid parameter: Endpoint must match the specified protocol");
                }
                if (!onThisMachine(endpoint)) {
                    throw invalid("Invalid parameter: Endpoint: the emulator delivers only to endpoints"
                            + " on this machine (127.0.0.1, localhost, ::1)");
                }
                yield new Subscription(arn, topicArn, protocol, endpoint, uuid().replace("-", "") + uuid().replace("-",
                        ""), raw, false);
            }
            default -> throw invalid("Invalid parameter: Amazon SNS does not support this protocol"
                    + " in the emulator: " + protocol + " (sqs, http and https are emulated)");
        };
        subs.put(arn, s);
        if (!s.confirmed) {
            Subscription pending = s;
            deliveries.submit(() -> confirm(pending));
        }
        return s;
    }

    synchronized String confirmSubscription(String topicArn, String token) {
        for (Subscription s : topic(topicArn).values()) {
            if (s.token.equals(token)) {
                s.confirmed = true;
                return s.arn;
            }
        }
        throw notFound("Invalid token");
    }

    synchronized List<Subscription> subscriptions(String topicArn) {
        return new ArrayList<>(topic(topicArn).values());
    }

    String publish(String topicArn, String subject, String message, Map<String, String> attributes) {
        List<Subscription> subs;
        synchronized (this) {
            subs = new ArrayList<>(topic(topicArn).values());
        }
        if (message == null || message.isEmpty()) {
            throw invalid("Invalid parameter: Empty message");
        }
        if (subject != null && (subject.length() >= 100 || !subject.chars().allMatch(c -> c >= 0x20 && c < 0x7f))) {
            throw invalid("Invalid parameter: Subject");
        }
        String id = uuid();
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("Type", "Notification");
        envelope.put("MessageId", id);
        envelope.put("TopicArn", topicArn);
        if (subject != null) {
            envelope.put("Subject", subject);
        }
        envelope.put("Message", message);
        envelope.put("Timestamp", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
        envelope.put("SignatureVersion", "1");
        envelope.put("Signature", "");
        envelope.put("SigningCertURL", "");
        if (!attributes.isEmpty()) {
            Map<String, Object> attrs = new LinkedHashMap<>();
            attributes.forEach((k, v) -> attrs.put(k, Map.of("Type", "String", "Value", v)));
            envelope.put("MessageAttributes", attrs);
        }
        for (Subscription s : subs) {
            if (!s.confirmed) {
                continue;
            }
            Map<String, Object> own = new LinkedHashMap<>(envelope);
            own.put("UnsubscribeURL", edge + "/?Action=Unsubscribe&SubscriptionArn=" + enc(s.arn));
            String body = s.raw ? message : Json.write(own);
            deliveries.submit(() -> deliver(s, id, body));
        }
        return id;
    }

    private void deliver(Subscription s, String messageId, String body) {
        try {
            if (s.protocol.equals("sqs")) {
                delivery.toQueue(s.endpoint, body);
            } else {
                delivery.toHttp(s.endpoint, headers("Notification", messageId, s), body);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "SNS delivery to " + s.protocol + " subscription " + s.arn
                    + " failed: " + e.getMessage());
        }
    }

    private void confirm(Subscription s) {
        String id = uuid();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Type", "SubscriptionConfirmation");
        m.put("MessageId", id);
        m.put("Token", s.token);
        m.put("TopicArn", s.topicArn);
        m.put("Message", "You have chosen to subscribe to the topic " + s.topicArn
                + ".\nTo confirm the subscription, visit the SubscribeURL included in this message.");
        // The credential scope in the query routes the unsigned GET to SNS at the edge.
        m.put("SubscribeURL", edge + "/?Action=ConfirmSubscription&TopicArn=" + enc(s.topicArn) + "&Token=" + s.token
                + "&X-Amz-Credential=" + enc("emulator/20200101/" + region + "/sns/aws4_request"));
        m.put("Timestamp", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
        m.put("SignatureVersion", "1");
        m.put("Signature", "");
        m.put("SigningCertURL", "");
        try {
            delivery.toHttp(s.endpoint, headers("SubscriptionConfirmation", id, null), Json.write(m));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "SNS subscription confirmation to " + s.arn + " failed: "
                    + e.getMessage());
        }
    }

    private static Map<String, String> headers(String type, String messageId, Subscription s) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-amz-sns-message-type", type);
        h.put("x-amz-sns-message-id", messageId);
        if (s != null) {
            h.put("x-amz-sns-topic-arn", s.topicArn);
            h.put("x-amz-sns-subscription-arn", s.arn);
        }
        h.put("Content-Type", "text/plain; charset=UTF-8");
        return h;
    }

    private Map<String, Subscription> topic(String arn) {
        Map<String, Subscription> t = arn == null ? null : topics.get(arn);
        if (t == null) {
            throw notFound("Topic does not exist");
        }
        return t;
    }

    static boolean onThisMachine(String url) {
        try {
            String host = URI.create(url).getHost();
            if (host == null) {
                return false;
            }
            InetAddress a = InetAddress.getByName(host.replace("[", "").replace("]", ""));
            return a.isLoopbackAddress();
        } catch (IllegalArgumentException | UnknownHostException e) {
            return false;
        }
    }

    private synchronized String uuid() {
        return new UUID(ids.nextLong(), ids.nextLong()).toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        deliveries.shutdownNow();
    }

    /** SNS's answer to a bad parameter: {@code InvalidParameter}, HTTP 400. */
    private static QueryError invalid(String message) {
        return QueryError.sender("InvalidParameter", message);
    }

    /** SNS's answer for a topic or token it does not know: {@code NotFound}, HTTP 404. */
    private static QueryError notFound(String message) {
        return new QueryError("NotFound", 404, message);
    }
}
