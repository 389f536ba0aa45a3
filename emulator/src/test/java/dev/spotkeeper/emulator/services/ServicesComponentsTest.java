package dev.spotkeeper.emulator.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.AwsCli;
import dev.spotkeeper.emulator.Emulator;
import dev.spotkeeper.emulator.spi.CloudEventSink;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The whole service half as {@link ServicesComponents#all} builds it, driven by the SDK and by AWS CLI v2. */
class ServicesComponentsTest {

    @TempDir
    static Path work;
    static Emulator emulator;
    static FakeInstanceControl ec2 = new FakeInstanceControl();
    static TestClients clients;

    @BeforeAll
    static void start() throws Exception {
        List<EmulatorComponent> components = new ArrayList<>(ServicesComponents.all(
                ServicesOptions.defaults().withRegion(TestClients.REGION).withAccountId("210987654321")));
        components.add(ec2);
        emulator = Emulator.start(0, Clock.systemUTC(), 11, 1.0, work, components);
        clients = new TestClients(emulator.endpoint());
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void describe_namesEveryServiceAndTheEventQueue() {
        assertThat(emulator.describe()).anyMatch(l -> l.startsWith("S3:")).anyMatch(l -> l.startsWith("SQS:"))
                .anyMatch(l -> l.startsWith("DynamoDB:")).anyMatch(l -> l.startsWith("FIS:"))
                .anyMatch(l -> l.startsWith("Events:") && l.contains(emulator.endpoint() + "/210987654321/spotkeeper-events"));
    }

    @Test
    void publishedEvent_arrivesOnTheQueueInEventBridgeJson() {
        CloudEventSink sink = emulator.lookup(CloudEventSink.class).orElseThrow();
        Instant time = Instant.parse("2026-11-05T11:03:11.734Z");
        sink.publish("aws.ec2", "EC2 Spot Instance Interruption Warning", "eu-west-1", time,
                List.of("arn:aws:ec2:eu-west-1:210987654321:instance/i-0abcd1234efgh5678"),
                Map.of("instance-id", "i-0abcd1234efgh5678", "instance-action", "terminate"));
        sink.publish("aws.ec2", "EC2 Instance Rebalance Recommendation", "eu-west-1", time, List.of(),
                Map.of("instance-id", "i-0abcd1234efgh5678"));

        try (SqsClient sqs = clients.sqs()) {
            String url = sqs.getQueueUrl(b -> b.queueName("spotkeeper-events")).queueUrl();
            List<Map<String, Object>> events = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                    events.add(Json.parseObject(m.body()));
                    sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
                }
                return events.size() >= 2;
            });
            Map<String, Object> warning = events.stream()
                    .filter(e -> e.get("detail-type").equals("EC2 Spot Instance Interruption Warning")).findFirst().orElseThrow();
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("version", "0");
            expected.put("id", warning.get("id"));
            expected.put("detail-type", "EC2 Spot Instance Interruption Warning");
            expected.put("source", "aws.ec2");
            expected.put("account", "210987654321");
            expected.put("time", "2026-11-05T11:03:11Z");
            expected.put("region", "eu-west-1");
            expected.put("resources", List.of("arn:aws:ec2:eu-west-1:210987654321:instance/i-0abcd1234efgh5678"));
            expected.put("detail", Map.of("instance-id", "i-0abcd1234efgh5678", "instance-action", "terminate"));
            assertThat(warning).containsExactlyInAnyOrderEntriesOf(expected);
            assertThat((String) warning.get("id")).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            Map<String, Object> rebalance = events.stream()
                    .filter(e -> e.get("detail-type").equals("EC2 Instance Rebalance Recommendation")).findFirst().orElseThrow();
            assertThat(rebalance.get("detail")).isEqualTo(Map.of("instance-id", "i-0abcd1234efgh5678"));
            assertThat(rebalance.get("resources"))
                    .isEqualTo(List.of("arn:aws:ec2:eu-west-1:210987654321:instance/i-0abcd1234efgh5678"));
            assertThat(rebalance.get("id")).isNotEqualTo(warning.get("id"));
        }
    }

    @Test
    void awsCli_s3Session_makeBucketCopyListRemoveForce() throws Exception {
        Path file = work.resolve("result.txt");
        Files.writeString(work.resolve("result.txt"), "epoch 7 loss 0.12\n");

        assertThat(cli("s3", "mb", "s3://cli-results").exitCode()).isZero();
        assertThat(cli("s3", "cp", file.toString(), "s3://cli-results/run-1/result.txt").exitCode()).isZero();
        AwsCli.Result listing = cli("s3", "ls", "s3://cli-results/run-1/");
        assertThat(listing.exitCode()).isZero();
        assertThat(listing.out()).contains("result.txt").contains(String.valueOf(Files.size(file)));
        try (var s3 = clients.s3()) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket("cli-results").key("run-1/result.txt")).asUtf8String())
                    .isEqualTo("epoch 7 loss 0.12\n");
        }
        // Above the CLI's 8 MB threshold the copy becomes a multipart upload.
        Path large = work.resolve("large.bin");
        byte[] bytes = new byte[9 * 1024 * 1024];
        new java.util.Random(3).nextBytes(bytes);
        Files.write(large, bytes);
        AwsCli.Result multipart = cli("s3", "cp", large.toString(), "s3://cli-results/run-1/large.bin");
        assertThat(multipart.exitCode()).as(multipart.err()).isZero();
        try (var s3 = clients.s3()) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket("cli-results").key("run-1/large.bin")).asByteArray()).isEqualTo(bytes);
        }
        // The objects, and not the directories the store keeps them in.
        AwsCli.Result recursive = cli("s3", "ls", "--recursive", "s3://cli-results");
        assertThat(recursive.out().lines().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList())
                .containsExactly("run-1/large.bin", "run-1/result.txt");
        assertThat(cli("s3", "rb", "s3://cli-results", "--force").exitCode()).isZero();
        assertThat(cli("s3", "ls").out()).doesNotContain("cli-results");
    }

    @Test
    void awsCli_sqsAndDynamoDb_work() throws Exception {
        AwsCli.Result queue = cli("sqs", "create-queue", "--queue-name", "cli-queue");
        assertThat(queue.exitCode()).isZero();
        String url = (String) Json.parseObject(queue.out()).get("QueueUrl");
        assertThat(cli("sqs", "send-message", "--queue-url", url, "--message-body", "from-cli").exitCode()).isZero();
        assertThat(cli("sqs", "receive-message", "--queue-url", url).out()).contains("from-cli");

        assertThat(cli("dynamodb", "create-table", "--table-name", "cli-table", "--billing-mode", "PAY_PER_REQUEST",
                "--attribute-definitions", "AttributeName=id,AttributeType=S",
                "--key-schema", "AttributeName=id,KeyType=HASH").exitCode()).isZero();
        assertThat(cli("dynamodb", "put-item", "--table-name", "cli-table", "--item", "{\"id\":{\"S\":\"a\"}}").exitCode())
                .isZero();
        assertThat(cli("dynamodb", "get-item", "--table-name", "cli-table", "--key", "{\"id\":{\"S\":\"a\"}}").out())
                .contains("\"a\"");
    }

    @Test
    void awsCli_fisTemplateAndExperiment_interruptTheTaggedInstance() throws Exception {
        ec2.add("i-0f00000000000001", "running", true, Map.of("fis-target", "yes"));
        Path template = work.resolve("template.json");
        Files.writeString(template, """
                {"description": "interrupt one tagged spot instance",
                 "roleArn": "arn:aws:iam::210987654321:role/fis",
                 "stopConditions": [{"source": "none"}],
                 "targets": {"SpotInstances-1": {"resourceType": "aws:ec2:spot-instance",
                     "resourceTags": {"fis-target": "yes"},
                     "filters": [{"path": "State.Name", "values": ["running"]}],
                     "selectionMode": "COUNT(1)"}},
                 "actions": {"interrupt": {"actionId": "aws:ec2:send-spot-instance-interruptions",
                     "parameters": {"durationBeforeInterruption": "PT2M"},
                     "targets": {"SpotInstances": "SpotInstances-1"}}}}
                """);
        AwsCli.Result created = cli("fis", "create-experiment-template", "--cli-input-json", "file://" + template);
        assertThat(created.exitCode()).as(created.err()).isZero();
        String templateId = (String) object(Json.parseObject(created.out()), "experimentTemplate").get("id");

        AwsCli.Result started = cli("fis", "start-experiment", "--experiment-template-id", templateId);
        assertThat(started.exitCode()).as(started.err()).isZero();
        String experimentId = (String) object(Json.parseObject(started.out()), "experiment").get("id");

        await().atMost(Duration.ofSeconds(20)).until(() -> ec2.interruptionsOf(List.of("i-0f00000000000001")).size() == 1);
        assertThat(ec2.interruptionsOf(List.of("i-0f00000000000001")).get(0).beforeTermination())
                .isEqualTo(Duration.ofMinutes(2));
        AwsCli.Result got = cli("fis", "get-experiment", "--id", experimentId);
        assertThat(object(object(Json.parseObject(got.out()), "experiment"), "state").get("status")).isEqualTo("running");

        AwsCli.Result bad = cli("fis", "get-experiment", "--id", "EXPmissing");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("ResourceNotFoundException");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> json, String key) {
        return (Map<String, Object>) json.get(key);
    }

    private static AwsCli.Result cli(String... args) throws IOException, InterruptedException {
        return new AwsCli(emulator.endpoint().toString(), clients.accessKey, clients.secretKey, TestClients.REGION, work).run(args);
    }
}
