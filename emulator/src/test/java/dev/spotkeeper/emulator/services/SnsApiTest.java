package dev.spotkeeper.emulator.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.AwsCli;
import dev.spotkeeper.emulator.Emulator;
import dev.spotkeeper.emulator.services.events.EventDeliveryComponent;
import dev.spotkeeper.emulator.services.sns.SnsComponent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The emulator's SNS through the AWS SDK and the AWS CLI: topics, SQS and HTTP subscriptions, publish, delete. */
class SnsApiTest {
    @TempDir
    static Path work;
    static Emulator emulator;
    static TestClients clients;
    static SnsClient sns;
    static SqsClient sqs;
    static HttpServer http;
    static final List<Map<String, String>> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        ServicesOptions options = ServicesOptions.defaults().withRegion(TestClients.REGION);
        emulator = Emulator.start(0, Clock.systemUTC(), 11, 1.0, work, List.of(new SqsComponent(options),
                new EventDeliveryComponent(options), new SnsComponent(options)));
        clients = new TestClients(emulator.endpoint());
        sns = clients.sns();
        sqs = clients.sqs();
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", x -> {
            received.add(Map.of("type", String.valueOf(x.getRequestHeaders().getFirst("x-amz-sns-message-type")),
                    "body", new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        http.start();
    }

    @AfterAll
    static void stop() {
        http.stop(0);
        sns.close();
        sqs.close();
        emulator.close();
    }

    private static String queueArn(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn")).attributesAsStrings()
                .get("QueueArn");
    }

    @Test
    void publish_reachesAnSqsSubscription_asTheSnsEnvelopeWithSubjectAndAttributes() {
        String topic = sns.createTopic(b -> b.name("spot-events")).topicArn();
        String queue = sqs.createQueue(b -> b.queueName("spot-events-q")).queueUrl();
        String sub = sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn(queue))).subscriptionArn();

        String id = sns.publish(b -> b.topicArn(topic).subject("spotkeeper: train warning").message("{\"id\":\"train-1\"}")
                .messageAttributes(Map.of("spotkeeper.id", MessageAttributeValue.builder().dataType("String")
                        .stringValue("train-1").build()))).messageId();

        assertThat(topic).isEqualTo("arn:aws:sns:" + TestClients.REGION + ":" + ServicesOptions.defaults().accountId()
                + ":spot-events");
        assertThat(sub).startsWith(topic + ":");
        List<Message> got = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            got.addAll(sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1)).messages());
            return !got.isEmpty();
        });
        Map<String, Object> envelope = Json.parseObject(got.get(0).body());
        assertThat(envelope).containsEntry("Type", "Notification").containsEntry("MessageId", id)
                .containsEntry("TopicArn", topic).containsEntry("Subject", "spotkeeper: train warning")
                .containsEntry("Message", "{\"id\":\"train-1\"}")
                .containsEntry("MessageAttributes", Map.of("spotkeeper.id", Map.of("Type", "String", "Value", "train-1")));
        assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions()).extracting(Subscription::protocol,
                Subscription::endpoint, Subscription::subscriptionArn).containsExactly(
                org.assertj.core.groups.Tuple.tuple("sqs", queueArn(queue), sub));
    }

    @Test
    void anHttpSubscription_isConfirmedWithTheTokenItWasSent_andOnlyThenGetsNotifications() {
        String topic = sns.createTopic(b -> b.name("http-events")).topicArn();
        String endpoint = "http://127.0.0.1:" + http.getAddress().getPort() + "/sns";
        received.clear();

        assertThat(sns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint(endpoint)).subscriptionArn())
                .isEqualTo("pending confirmation");
        await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
        Map<String, Object> confirmation = Json.parseObject(received.get(0).get("body"));
        assertThat(received.get(0)).containsEntry("type", "SubscriptionConfirmation");
        assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions().get(0).subscriptionArn())
                .isEqualTo("PendingConfirmation");
        sns.publish(b -> b.topicArn(topic).message("before confirmation"));

        String arn = sns.confirmSubscription(b -> b.topicArn(topic).token((String) confirmation.get("Token")))
                .subscriptionArn();
        sns.publish(b -> b.topicArn(topic).message("after confirmation"));

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 2);
        assertThat(received).hasSize(2);
        assertThat(received.get(1)).containsEntry("type", "Notification");
        assertThat(Json.parseObject(received.get(1).get("body"))).containsEntry("Message", "after confirmation");
        assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions().get(0).subscriptionArn())
                .isEqualTo(arn);
    }

    @Test
    void anHttpSubscription_isConfirmedByAGetOfItsSubscribeUrl_asAReceiverWouldDoIt() throws Exception {
        String topic = sns.createTopic(b -> b.name("get-confirmed")).topicArn();
        String endpoint = "http://127.0.0.1:" + http.getAddress().getPort() + "/by-get";
        received.clear();
        sns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint(endpoint));
        await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
        String subscribeUrl = (String) Json.parseObject(received.get(0).get("body")).get("SubscribeURL");

        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(subscribeUrl)).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(subscribeUrl).startsWith(emulator.endpoint() + "/?Action=ConfirmSubscription");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<ConfirmSubscriptionResult><SubscriptionArn>" + topic + ":");
        assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions().get(0).subscriptionArn())
                .startsWith(topic + ":");
    }

    @Test
    void anHttpEndpointOffThisMachine_isRefused_andADeletedTopicIsNotFound() {
        String topic = sns.createTopic(b -> b.name("gone")).topicArn();

        assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint("http://192.0.2.1/x")))
                .hasMessageContaining("only to endpoints on this machine");
        sns.deleteTopic(b -> b.topicArn(topic));
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(topic).message("x"))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void theAwsCli_createsSubscribesListsPublishesAndDeletes() throws Exception {
        AwsCli.assumeInstalled();
        AwsCli aws = new AwsCli(emulator.endpoint().toString(), clients.accessKey, clients.secretKey, TestClients.REGION,
                work);
        String topic = (String) Json.parseObject(aws.ok("sns", "create-topic", "--name", "cli-events")).get("TopicArn");
        String queue = sqs.createQueue(b -> b.queueName("cli-events-q")).queueUrl();
        aws.ok("sns", "subscribe", "--topic-arn", topic, "--protocol", "sqs", "--notification-endpoint", queueArn(queue),
                "--attributes", "RawMessageDelivery=true");

        String listed = aws.ok("sns", "list-subscriptions-by-topic", "--topic-arn", topic);
        String published = aws.ok("sns", "publish", "--topic-arn", topic, "--subject", "hello", "--message", "raw body");

        assertThat(listed).contains("\"Protocol\": \"sqs\"").contains(queueArn(queue));
        assertThat(Json.parseObject(published)).containsKey("MessageId");
        List<Message> got = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            got.addAll(sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1)).messages());
            return !got.isEmpty();
        });
        assertThat(got.get(0).body()).as("raw message delivery").isEqualTo("raw body");
        aws.ok("sns", "delete-topic", "--topic-arn", topic);
        AwsCli.Result after = aws.run("sns", "list-subscriptions-by-topic", "--topic-arn", topic);
        assertThat(after.exitCode()).isNotZero();
        assertThat(after.err()).contains("NotFound");
    }
}
