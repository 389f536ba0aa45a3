package dev.spotkeeper.emulator.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.AwsCli;
import dev.spotkeeper.emulator.Emulator;
import dev.spotkeeper.emulator.services.events.EventDeliveryComponent;
import dev.spotkeeper.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The emulator's EventBridge through the AWS SDK and the AWS CLI: rules, targets, events, schedules, EC2's events. */
class EventBridgeApiTest {
    private static final String SPOT_PATTERN = "{\"source\":[\"aws.ec2\"],\"detail-type\":"
            + "[\"EC2 Spot Instance Interruption Warning\"]}";

    @TempDir
    Path work;
    MutableClock clock;
    Emulator emulator;
    EventDeliveryComponent events;
    TestClients clients;
    EventBridgeClient eb;
    SqsClient sqs;

    @BeforeEach
    void start() throws Exception {
        clock = MutableClock.at("2026-03-01T12:00:30Z");
        ServicesOptions options = ServicesOptions.defaults().withRegion(TestClients.REGION);
        events = new EventDeliveryComponent(options);
        emulator = Emulator.start(0, clock, 5, 1.0, work, List.of(new SqsComponent(options), events));
        clients = new TestClients(emulator.endpoint());
        eb = clients.eventBridge();
        sqs = clients.sqs();
    }

    @AfterEach
    void stop() {
        eb.close();
        sqs.close();
        emulator.close();
    }

    private String queue(String name) {
        return sqs.createQueue(b -> b.queueName(name)).queueUrl();
    }

    private String queueArn(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn")).attributesAsStrings()
                .get("QueueArn");
    }

    private List<Message> receiveAtLeast(String url, int n) {
        List<Message> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            got.addAll(sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1).maxNumberOfMessages(10)).messages());
            return got.size() >= n;
        });
        return got;
    }

    private int count(String url) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(url)
                .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings()
                .get("ApproximateNumberOfMessages"));
    }

    @Test
    void aRuleWithAnSqsTarget_receivesTheMatchingPutEvents_only() {
        String url = queue("spot-warnings");
        String ruleArn = eb.putRule(b -> b.name("spot").eventPattern(SPOT_PATTERN).description("warnings")).ruleArn();
        eb.putTargets(b -> b.rule("spot").targets(Target.builder().id("q").arn(queueArn(url)).build()));

        PutEventsResponse put = eb.putEvents(b -> b.entries(
                e -> e.source("aws.ec2").detailType("EC2 Spot Instance Interruption Warning")
                        .detail("{\"instance-id\":\"i-1\",\"instance-action\":\"terminate\"}"),
                e -> e.source("aws.ec2").detailType("EC2 Instance State-change Notification")
                        .detail("{\"instance-id\":\"i-1\",\"state\":\"running\"}"),
                e -> e.source("aws.ec2").detailType("x").detail("not json")));

        assertThat(ruleArn).isEqualTo("arn:aws:events:" + TestClients.REGION + ":" + ServicesOptions.defaults().accountId() + ":rule/spot");
        assertThat(put.failedEntryCount()).isEqualTo(1);
        assertThat(put.entries().get(0).eventId()).isNotBlank();
        assertThat(put.entries().get(2).errorCode()).isEqualTo("MalformedDetail");
        List<Message> got = receiveAtLeast(url, 1);
        Map<String, Object> event = Json.parseObject(got.get(0).body());
        assertThat(event).containsEntry("source", "aws.ec2").containsEntry("detail-type",
                "EC2 Spot Instance Interruption Warning").containsEntry("id", put.entries().get(0).eventId());
        assertThat(event.get("detail")).isEqualTo(Map.of("instance-id", "i-1", "instance-action", "terminate"));
        assertThat(count(url)).as("the state change matched no rule").isZero();
    }

    @Test
    void describeListRemoveAndDelete_behaveAsEventBridge() {
        String url = queue("t");
        eb.putRule(b -> b.name("a-one").eventPattern(SPOT_PATTERN));
        eb.putRule(b -> b.name("a-two").scheduleExpression("rate(5 minutes)").state("DISABLED"));
        eb.putRule(b -> b.name("other").eventPattern("{\"source\":[\"aws.health\"]}"));
        eb.putTargets(b -> b.rule("a-one").targets(Target.builder().id("q").arn(queueArn(url)).input("{\"k\":1}").build()));

        DescribeRuleResponse two = eb.describeRule(b -> b.name("a-two"));
        assertThat(two.scheduleExpression()).isEqualTo("rate(5 minutes)");
        assertThat(two.stateAsString()).isEqualTo("DISABLED");
        assertThat(eb.describeRule(b -> b.name("a-one")).eventPattern()).isEqualTo(SPOT_PATTERN);
        assertThat(eb.listRules(b -> b.namePrefix("a-")).rules()).extracting(r -> r.name())
                .containsExactly("a-one", "a-two");
        assertThat(eb.listTargetsByRule(b -> b.rule("a-one")).targets()).singleElement()
                .satisfies(t -> assertThat(t.input()).isEqualTo("{\"k\":1}"));
        assertThatThrownBy(() -> eb.deleteRule(b -> b.name("a-one"))).hasMessageContaining("has targets");
        eb.removeTargets(b -> b.rule("a-one").ids("q"));
        eb.deleteRule(b -> b.name("a-one"));
        assertThatThrownBy(() -> eb.describeRule(b -> b.name("a-one"))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> eb.putRule(b -> b.name("bad").eventPattern("{\"source\":\"aws.ec2\"}")))
                .isInstanceOf(InvalidEventPatternException.class);
        assertThatThrownBy(() -> eb.putRule(b -> b.name("bad").scheduleExpression("rate(0 minutes)")))
                .hasMessageContaining("ScheduleExpression");
    }

    @Test
    void theEmulatorsOwnEc2Events_goStraightToTheQueueWithoutRules_andThroughTheRulesOnceThereAreSome() {
        String straight = events.queueUrl();
        events.publish("aws.ec2", "EC2 Instance Rebalance Recommendation", null, null, List.of("i-9"),
                Map.of("instance-id", "i-9"));
        assertThat(receiveAtLeast(straight, 1)).hasSize(1);

        String url = queue("routed");
        eb.putRule(b -> b.name("spot").eventPattern(SPOT_PATTERN));
        eb.putTargets(b -> b.rule("spot").targets(Target.builder().id("q").arn(queueArn(url)).inputPath("$.detail")
                .build()));
        events.publish("aws.ec2", "EC2 Instance Rebalance Recommendation", null, null, List.of("i-9"),
                Map.of("instance-id", "i-9"));
        events.publish("aws.ec2", "EC2 Spot Instance Interruption Warning", null, null, List.of("i-9"),
                Map.of("instance-id", "i-9", "instance-action", "terminate"));

        List<Message> routed = receiveAtLeast(url, 1);
        assertThat(Json.parseObject(routed.get(0).body())).as("InputPath $.detail")
                .isEqualTo(Map.of("instance-id", "i-9", "instance-action", "terminate"));
        assertThat(count(straight)).as("with rules, nothing goes straight to the event queue").isZero();
    }

    @Test
    void aScheduledRule_firesOnTheEmulatorsClock_oncePerPeriod() {
        String url = queue("ticks");
        eb.putRule(b -> b.name("tick").scheduleExpression("rate(1 minute)"));
        eb.putTargets(b -> b.rule("tick").targets(Target.builder().id("q").arn(queueArn(url)).build()));

        clock.advance(Duration.ofSeconds(61));
        List<Message> got = receiveAtLeast(url, 1);

        Map<String, Object> event = Json.parseObject(got.get(0).body());
        assertThat(event).containsEntry("source", "aws.events").containsEntry("detail-type", "Scheduled Event");
        assertThat(event.get("resources")).isEqualTo(List.of("arn:aws:events:" + TestClients.REGION
                + ":" + ServicesOptions.defaults().accountId() + ":rule/tick"));
        clock.advance(Duration.ofSeconds(60));
        assertThat(receiveAtLeast(url, 1)).hasSize(1);
    }

    @Test
    void theAwsCli_putsRulesTargetsAndEvents() throws Exception {
        AwsCli.assumeInstalled();
        AwsCli aws = new AwsCli(emulator.endpoint().toString(), clients.accessKey, clients.secretKey, TestClients.REGION,
                work);
        String url = queue("cli");
        String put = aws.ok("events", "put-rule", "--name", "cli-rule", "--event-pattern", SPOT_PATTERN);
        aws.ok("events", "put-targets", "--rule", "cli-rule", "--targets", "Id=q,Arn=" + queueArn(url));
        String sent = aws.ok("events", "put-events", "--entries", "[{\"Source\":\"aws.ec2\",\"DetailType\":"
                + "\"EC2 Spot Instance Interruption Warning\",\"Detail\":\"{\\\"instance-id\\\":\\\"i-7\\\"}\"}]");
        String listed = aws.ok("events", "list-rules");
        String targets = aws.ok("events", "list-targets-by-rule", "--rule", "cli-rule");

        assertThat(Json.parseObject(put).get("RuleArn")).asString().endsWith(":rule/cli-rule");
        assertThat(Json.parseObject(sent)).containsEntry("FailedEntryCount", 0L);
        assertThat(listed).contains("\"Name\": \"cli-rule\"");
        assertThat(targets).contains(queueArn(url));
        assertThat(receiveAtLeast(url, 1).get(0).body()).contains("\"instance-id\":\"i-7\"");
        aws.ok("events", "remove-targets", "--rule", "cli-rule", "--ids", "q");
        aws.ok("events", "delete-rule", "--name", "cli-rule");
        AwsCli.Result gone = aws.run("events", "describe-rule", "--name", "cli-rule");
        assertThat(gone.exitCode()).isNotZero();
        assertThat(gone.err()).contains("ResourceNotFoundException");
    }
}
