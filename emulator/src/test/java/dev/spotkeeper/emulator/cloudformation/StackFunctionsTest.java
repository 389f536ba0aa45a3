package dev.spotkeeper.emulator.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.Emulator;
import dev.spotkeeper.emulator.services.S3Component;
import dev.spotkeeper.emulator.services.ServicesOptions;
import dev.spotkeeper.emulator.services.SqsComponent;
import dev.spotkeeper.emulator.services.events.EventDeliveryComponent;
import dev.spotkeeper.emulator.services.lambda.LambdaComponent;
import dev.spotkeeper.emulator.services.lambda.fixture.BatchHandler;
import dev.spotkeeper.emulator.services.lambda.fixture.EchoHandler;
import dev.spotkeeper.emulator.services.lambda.fixture.TickHandler;
import dev.spotkeeper.testkit.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * CloudFormation's EventBridge and Lambda resources on the emulator, deployed through the AWS SDK: a rule delivers
 * to a queue of the stack, a schedule invokes a function of the stack on the emulator's clock, an SQS mapping feeds
 * another; deleting the stack, or rolling it back, removes them from EventBridge and Lambda.
 */
class StackFunctionsTest {
    private static final String REGION = ServicesOptions.DEFAULT_REGION;

    @TempDir
    static Path work;
    static MutableClock clock;
    static Emulator emulator;
    static CloudFormationClient cfn;
    static EventBridgeClient events;
    static LambdaClient lambda;
    static SqsClient sqs;
    static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        clock = MutableClock.at("2026-03-01T12:00:30Z");
        ServicesOptions options = ServicesOptions.defaults().withPersistentS3(false);
        emulator = Emulator.start(0, clock, 7, 1.0, work.resolve("emulator"), List.of(new S3Component(options),
                new SqsComponent(options), new EventDeliveryComponent(options), new LambdaComponent(options),
                new CloudFormationComponent(options.accountId())));
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                "AKIDSTACKFUNCTIONS", UUID.randomUUID().toString()));
        cfn = CloudFormationClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(REGION))
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        events = EventBridgeClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(REGION))
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        lambda = LambdaClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(REGION))
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        sqs = SqsClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(REGION))
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        s3 = S3Client.builder().endpointOverride(emulator.endpoint()).region(Region.of(REGION)).forcePathStyle(true)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        s3.createBucket(b -> b.bucket("code"));
        s3.putObject(b -> b.bucket("code").key("functions/fixture.jar"), RequestBody.fromBytes(fixtureJar()));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {cfn, events, lambda, sqs, s3}) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing the rest matters more
            }
        }
        emulator.close();
    }

    /** The fixture handlers' class files alone in a jar, as a function's code. */
    static byte[] fixtureJar() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes)) {
            for (Class<?> type : List.of(EchoHandler.class, BatchHandler.class, TickHandler.class)) {
                String entry = type.getName().replace('.', '/') + ".class";
                try (var in = type.getClassLoader().getResourceAsStream(entry)) {
                    jar.putNextEntry(new JarEntry(entry));
                    in.transferTo(jar);
                    jar.closeEntry();
                }
            }
        }
        return bytes.toByteArray();
    }

    private String template(Path ticks) {
        return """
                {"Resources": {
                   "Inbox": {"Type": "AWS::SQS::Queue"},
                   "Work": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 30}},
                   "Orders": {"Type": "AWS::Events::Rule", "Properties": {
                      "EventPattern": {"source": ["app.orders"], "detail-type": ["Order Placed"]},
                      "State": "ENABLED",
                      "Targets": [{"Id": "inbox", "Arn": {"Fn::GetAtt": ["Inbox", "Arn"]}}]}},
                   "Ticker": {"Type": "AWS::Lambda::Function", "Properties": {
                      "Runtime": "java17", "Handler": "%s::handle", "Timeout": 10, "MemorySize": 256,
                      "Role": "arn:aws:iam::123456789012:role/ticker", "Architectures": ["arm64"],
                      "Code": {"S3Bucket": "code", "S3Key": "functions/fixture.jar"},
                      "Environment": {"Variables": {"TICKS_FILE": "%s"}}}},
                   "TickerVersion": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "Ticker"}}},
                   "EveryMinute": {"Type": "AWS::Events::Rule", "Properties": {
                      "ScheduleExpression": "rate(1 minute)",
                      "Targets": [{"Id": "t", "Arn": {"Ref": "TickerVersion"}, "RetryPolicy": {"MaximumRetryAttempts": 0}}]}},
                   "AllowSchedule": {"Type": "AWS::Lambda::Permission", "Properties": {"Action": "lambda:InvokeFunction",
                      "FunctionName": {"Ref": "TickerVersion"}, "Principal": "events.amazonaws.com",
                      "SourceArn": {"Fn::GetAtt": ["EveryMinute", "Arn"]}}},
                   "Batches": {"Type": "AWS::Lambda::Function", "Properties": {
                      "Runtime": "java21", "Handler": "%s::handle",
                      "Role": "arn:aws:iam::123456789012:role/batches",
                      "Code": {"S3Bucket": "code", "S3Key": "functions/fixture.jar"}}},
                   "BatchesVersion": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "Batches"}}},
                   "WorkMapping": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
                      "EventSourceArn": {"Fn::GetAtt": ["Work", "Arn"]}, "BatchSize": 5,
                      "FunctionName": {"Fn::Join": ["", [{"Ref": "Batches"}, ":",
                          {"Fn::GetAtt": ["BatchesVersion", "Version"]}]]},
                      "FunctionResponseTypes": ["ReportBatchItemFailures"]}}
                 },
                 "Outputs": {
                   "InboxUrl": {"Value": {"Ref": "Inbox"}},
                   "WorkUrl": {"Value": {"Ref": "Work"}},
                   "Rule": {"Value": {"Ref": "Orders"}},
                   "RuleArn": {"Value": {"Fn::GetAtt": ["Orders", "Arn"]}},
                   "Ticker": {"Value": {"Ref": "Ticker"}},
                   "Batches": {"Value": {"Ref": "Batches"}},
                   "TickerArn": {"Value": {"Fn::GetAtt": ["Ticker", "Arn"]}},
                   "TickerVersion": {"Value": {"Ref": "TickerVersion"}},
                   "Mapping": {"Value": {"Ref": "WorkMapping"}}
                 }}
                """.formatted(TickHandler.class.getName(), ticks.toString().replace("\\", "\\\\"),
                BatchHandler.class.getName());
    }

    @Test
    void aRuleToAQueue_aScheduleToAFunction_andAMapping_work_andGoWithTheStack() throws Exception {
        Path ticks = work.resolve("ticks.txt");
        Stack stack = create("orders", template(ticks));
        Map<String, String> out = outputs(stack);
        assertThat(out.get("Rule")).startsWith("orders-Orders-");
        assertThat(out.get("RuleArn")).isEqualTo("arn:aws:events:" + REGION + ":123456789012:rule/" + out.get("Rule"));
        assertThat(out.get("TickerArn")).endsWith(":function:" + out.get("Ticker"));
        assertThat(out.get("TickerVersion")).isEqualTo(out.get("TickerArn") + ":1");
        assertThat(cfn.describeStackResources(b -> b.stackName("orders")).stackResources()).hasSize(10)
                .allSatisfy(r -> assertThat(r.resourceStatusAsString()).isEqualTo("CREATE_COMPLETE"));

        // The rule is EventBridge's: it lists, and it delivers what matches to the stack's queue, only that.
        assertThat(events.listRules(b -> b.namePrefix("orders-")).rules()).extracting(r -> r.name())
                .contains(out.get("Rule"));
        var put = events.putEvents(b -> b.entries(
                PutEventsRequestEntry.builder().source("app.orders").detailType("Order Placed")
                        .detail("{\"order\":\"o-1\"}").build(),
                PutEventsRequestEntry.builder().source("app.orders").detailType("Order Cancelled")
                        .detail("{\"order\":\"o-2\"}").build()));
        assertThat(put.failedEntryCount()).isZero();
        List<Message> inbox = receiveAtLeast(out.get("InboxUrl"), 1);
        assertThat(inbox).hasSize(1);
        assertThat(Json.parseObject(inbox.get(0).body()).get("detail")).isEqualTo(Map.of("order", "o-1"));

        // The function is Lambda's, with the template's settings and variables.
        var fn = lambda.getFunction(b -> b.functionName(out.get("Ticker"))).configuration();
        assertThat(fn.runtimeAsString()).isEqualTo("java17");
        assertThat(fn.timeout()).isEqualTo(10);
        assertThat(fn.environment().variables()).containsEntry("TICKS_FILE", ticks.toString());

        // The schedule invokes the function's version on the emulator's clock, once a minute.
        assertThat(ticks).doesNotExist();
        clock.advance(Duration.ofSeconds(61));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(ticks) && Files.readAllLines(ticks).size() == 1);
        assertThat(Files.readAllLines(ticks)).containsExactly(out.get("Ticker") + " Scheduled Event");

        // The mapping feeds the batch function, which reports the "fail" message only: the other one is deleted.
        sqs.sendMessage(b -> b.queueUrl(out.get("WorkUrl")).messageBody("ok"));
        sqs.sendMessage(b -> b.queueUrl(out.get("WorkUrl")).messageBody("fail-1"));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> messages(out.get("WorkUrl")) == 1);
        assertThat(lambda.getEventSourceMapping(b -> b.uuid(out.get("Mapping"))).functionArn())
                .endsWith(":function:" + out.get("Batches"));

        cfn.deleteStack(b -> b.stackName("orders"));
        String id = stack.stackId();
        await().atMost(Duration.ofSeconds(30)).until(() -> cfn.describeStacks(b -> b.stackName(id)).stacks().get(0)
                .stackStatus() == StackStatus.DELETE_COMPLETE);
        assertThat(events.listRules(b -> b.namePrefix("orders-")).rules()).isEmpty();
        assertThat(lambda.listFunctions().functions()).noneMatch(f -> f.functionName().startsWith("orders-"));
        assertThat(lambda.listEventSourceMappings().eventSourceMappings()).noneMatch(m -> m.uuid().equals(
                out.get("Mapping")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sqs.getQueueAttributes(b -> b.queueUrl(
                out.get("InboxUrl")))).isInstanceOf(QueueDoesNotExistException.class);
    }

    @Test
    void aFunctionWhoseCodeIsMissing_rollsTheStackBack_andTheRuleCreatedBeforeItIsGone() {
        String template = """
                {"Resources": {
                   "Inbox": {"Type": "AWS::SQS::Queue"},
                   "Orders": {"Type": "AWS::Events::Rule", "Properties": {
                      "Name": "orders-to-inbox", "EventPattern": {"source": ["app.orders"]},
                      "Targets": [{"Id": "inbox", "Arn": {"Fn::GetAtt": ["Inbox", "Arn"]}}]}},
                   "Broken": {"Type": "AWS::Lambda::Function", "DependsOn": "Orders", "Properties": {
                      "Runtime": "java21", "Handler": "%s::handle", "Role": "arn:aws:iam::123456789012:role/x",
                      "Code": {"S3Bucket": "code", "S3Key": "functions/missing.jar"}}}
                 }}
                """.formatted(EchoHandler.class.getName());
        CreateChangeSetResponse created = cfn.createChangeSet(b -> b.stackName("broken").changeSetName("create")
                .changeSetType(ChangeSetType.CREATE).templateBody(template));
        await().atMost(Duration.ofSeconds(30)).until(() -> cfn.describeChangeSet(b -> b.changeSetName(created.id()))
                .status() == ChangeSetStatus.CREATE_COMPLETE);
        cfn.executeChangeSet(b -> b.changeSetName(created.id()));
        Stack stack = awaitSettled("broken");
        assertThat(stack.stackStatus()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
        assertThat(cfn.describeStackEvents(b -> b.stackName("broken")).stackEvents())
                .anySatisfy(e -> {
                    assertThat(e.logicalResourceId()).isEqualTo("Broken");
                    assertThat(e.resourceStatusAsString()).isEqualTo("CREATE_FAILED");
                    assertThat(e.resourceStatusReason()).contains("NoSuchKey").contains("functions/missing.jar");
                });
        assertThat(events.listRules(b -> b.namePrefix("orders-to-inbox")).rules()).isEmpty();
        assertThat(lambda.listFunctions().functions()).noneMatch(f -> f.functionName().startsWith("broken-"));
    }

    private int messages(String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private List<Message> receiveAtLeast(String url, int n) {
        List<Message> got = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            got.addAll(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages());
            return got.size() >= n;
        });
        return got;
    }

    private Stack create(String name, String template) {
        CreateChangeSetResponse created = cfn.createChangeSet(b -> b.stackName(name).changeSetName("create")
                .changeSetType(ChangeSetType.CREATE).templateBody(template).capabilities(Capability.CAPABILITY_IAM));
        await().atMost(Duration.ofSeconds(30)).until(() -> cfn.describeChangeSet(b -> b.changeSetName(created.id()))
                .status() == ChangeSetStatus.CREATE_COMPLETE);
        cfn.executeChangeSet(b -> b.changeSetName(created.id()));
        Stack stack = awaitSettled(name);
        assertThat(stack.stackStatus()).as(stack.stackStatusReason() + " "
                + cfn.describeStackEvents(b -> b.stackName(name)).stackEvents()).isEqualTo(StackStatus.CREATE_COMPLETE);
        return stack;
    }

    private Stack awaitSettled(String name) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                !cfn.describeStacks(b -> b.stackName(name)).stacks().get(0).stackStatusAsString().endsWith("_IN_PROGRESS"));
        return cfn.describeStacks(b -> b.stackName(name)).stacks().get(0);
    }

    private static Map<String, String> outputs(Stack stack) {
        return stack.outputs().stream().collect(Collectors.toMap(o -> o.outputKey(), o -> o.outputValue()));
    }
}
