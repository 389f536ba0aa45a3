package dev.spotkeeper.emulator.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.services.lambda.fixture.BatchHandler;
import dev.spotkeeper.emulator.services.lambda.fixture.EchoHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * CloudFormation through the AWS SDK against the emulator with its services: change sets create, update and roll
 * back stacks whose resources are real tables, queues, buckets and topics of the emulator.
 */
class CloudFormationApiTest {
    private static final String REGION = "us-east-1";

    @TempDir
    static Path work;

    private static LocalEmulator emulator;
    private static CloudFormationClient cfn;
    private static DynamoDbClient dynamo;
    private static SqsClient sqs;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        emulator = LocalEmulator.builder().port(0).seed(5).bootDelay(Duration.ZERO).traces(false).services(true)
                .workDirectory(work.resolve("emulator")).start();
        URI endpoint = emulator.endpoint();
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey()));
        cfn = CloudFormationClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        dynamo = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        s3 = S3Client.builder().endpointOverride(endpoint).region(Region.of(REGION)).forcePathStyle(true)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    static final String SMALL = """
            {"Parameters": {"Stage": {"Type": "String", "Default": "test", "AllowedValues": ["test", "prod"]}},
             "Resources": {
               "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {
                  "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                  "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}},
               "DeadLetters": {"Type": "AWS::SQS::Queue"},
               "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 30,
                  "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["DeadLetters", "Arn"]}, "maxReceiveCount": 3}}},
               "Bucket": {"Type": "AWS::S3::Bucket"},
               "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::Sub": "${AWS::StackName}-${Stage}"}}},
               "Role": {"Type": "AWS::IAM::Role", "DependsOn": "Topic", "Properties": {"AssumeRolePolicyDocument": {}}}
             },
             "Outputs": {
               "TableName": {"Value": {"Ref": "Table"}},
               "QueueUrl": {"Value": {"Ref": "Queue"}},
               "QueueArn": {"Value": {"Fn::GetAtt": ["Queue", "Arn"]}},
               "BucketName": {"Value": {"Ref": "Bucket"}},
               "Label": {"Value": {"Fn::Join": ["/", [{"Ref": "Stage"}, {"Fn::Select": [1, ["a", "b", "c"]]}]]}},
               "RoleArn": {"Value": {"Fn::GetAtt": ["Role", "Arn"]}}
             }}
            """;

    @Test
    void createChangeSet_whenExecuted_createsUsableResourcesInDependencyOrder() {
        String name = stackName();
        Stack stack = createStack(name, SMALL, List.of(Parameter.builder().parameterKey("Stage").parameterValue("prod")
                .build()));
        assertThat(stack.stackStatus()).isEqualTo(StackStatus.CREATE_COMPLETE);
        Map<String, String> out = outputs(stack);
        assertThat(out.get("Label")).isEqualTo("prod/b");
        assertThat(out.get("TableName")).startsWith(name + "-Table-");
        assertThat(out.get("RoleArn")).startsWith("arn:aws:iam::").contains(":role/" + name + "-Role-");

        dynamo.putItem(b -> b.tableName(out.get("TableName")).item(Map.of("pk", AttributeValue.fromS("k"))));
        assertThat(dynamo.getItem(b -> b.tableName(out.get("TableName")).key(Map.of("pk", AttributeValue.fromS("k"))))
                .hasItem()).isTrue();
        sqs.sendMessage(b -> b.queueUrl(out.get("QueueUrl")).messageBody("hello"));
        assertThat(sqs.receiveMessage(b -> b.queueUrl(out.get("QueueUrl")).waitTimeSeconds(2)).messages())
                .extracting(m -> m.body()).containsExactly("hello");
        assertThat(out.get("QueueArn")).isEqualTo("arn:aws:sqs:us-east-1:000000000000:"
                + out.get("QueueUrl").substring(out.get("QueueUrl").lastIndexOf('/') + 1));
        s3.putObject(b -> b.bucket(out.get("BucketName")).key("k"), RequestBody.fromString("v"));

        List<String> completed = events(name).stream().filter(e -> e.resourceStatusAsString().equals("CREATE_COMPLETE"))
                .map(StackEvent::logicalResourceId).collect(Collectors.toList());
        java.util.Collections.reverse(completed);
        assertThat(completed).containsExactlyInAnyOrder("Table", "DeadLetters", "Queue", "Bucket", "Topic", "Role", name);
        assertThat(completed.indexOf("DeadLetters")).isLessThan(completed.indexOf("Queue"));
        assertThat(completed.indexOf("Topic")).isLessThan(completed.indexOf("Role"));
        assertThat(completed.get(completed.size() - 1)).isEqualTo(name);
        assertThat(cfn.describeStackResources(b -> b.stackName(name)).stackResources())
                .extracting(StackResource::logicalResourceId)
                .containsExactlyInAnyOrder("Table", "DeadLetters", "Queue", "Bucket", "Topic", "Role");
        s3.deleteObject(b -> b.bucket(out.get("BucketName")).key("k"));
    }

    @Test
    void anExecutedChangeSet_isGoneOnceTheStackShowsItsEnd_soItsNameCanBeUsedAgain() {
        String name = stackName();
        String queueOnly = "{\"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\"}}}";
        createStack(name, queueOnly, List.of());

        // At once, as the AWS CLI's `deploy` does when it redeploys within the second of its last deploy.
        CreateChangeSetResponse again = cfn.createChangeSet(b -> b.stackName(name).changeSetName("create")
                .changeSetType(ChangeSetType.UPDATE).templateBody(queueOnly));
        assertThat(again.id()).isNotBlank();
    }

    @Test
    void updateChangeSet_withoutChanges_failsWithAwsReason_andWithChanges_addsAndRemoves() {
        String name = stackName();
        String queueOnly = "{\"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\"}},"
                + " \"Outputs\": {\"A\": {\"Value\": {\"Ref\": \"A\"}}}}";
        String oldUrl = outputs(createStack(name, queueOnly, List.of())).get("A");

        DescribeChangeSetResponse same = changeSet(name, queueOnly, ChangeSetType.UPDATE);
        assertThat(same.status()).isEqualTo(ChangeSetStatus.FAILED);
        assertThat(same.statusReason()).contains("didn't contain changes");

        String replaced = "{\"Resources\": {\"B\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": {\"DelaySeconds\": 1}}},"
                + " \"Outputs\": {\"B\": {\"Value\": {\"Ref\": \"B\"}}}}";
        DescribeChangeSetResponse cs = changeSet(name, replaced, ChangeSetType.UPDATE);
        assertThat(cs.changes()).extracting(c -> c.resourceChange().actionAsString() + " " + c.resourceChange()
                .logicalResourceId()).containsExactlyInAnyOrder("Add B", "Remove A");
        cfn.executeChangeSet(b -> b.stackName(name).changeSetName(cs.changeSetName()));
        Stack updated = awaitStatus(name, StackStatus.UPDATE_COMPLETE);
        String newUrl = outputs(updated).get("B");
        sqs.sendMessage(b -> b.queueUrl(newUrl).messageBody("x"));
        assertThatThrownBy(() -> sqs.getQueueAttributes(b -> b.queueUrl(oldUrl)))
                .isInstanceOf(QueueDoesNotExistException.class);
    }

    @Test
    void aFailingResource_rollsTheStackBack_withTheReason_andRemovesWhatItCreated() {
        String name = stackName();
        String broken = """
                {"Resources": {
                  "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "%s-q"}},
                  "Table": {"Type": "AWS::DynamoDB::Table", "DependsOn": "Queue", "Properties": {
                    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                    "KeySchema": [{"AttributeName": "missing", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}}}}
                """.formatted(name);
        DescribeChangeSetResponse cs = changeSet(name, broken, ChangeSetType.CREATE);
        cfn.executeChangeSet(b -> b.stackName(name).changeSetName(cs.changeSetName()));
        Stack stack = awaitStatus(name, StackStatus.ROLLBACK_COMPLETE);

        assertThat(events(name)).anySatisfy(e -> {
            assertThat(e.logicalResourceId()).isEqualTo("Table");
            assertThat(e.resourceStatusAsString()).isEqualTo("CREATE_FAILED");
            assertThat(e.resourceStatusReason()).isNotBlank().contains("DynamoDB");
        });
        assertThat(events(name)).anySatisfy(e -> {
            assertThat(e.logicalResourceId()).isEqualTo(name);
            assertThat(e.resourceStatusAsString()).isEqualTo("ROLLBACK_IN_PROGRESS");
            assertThat(e.resourceStatusReason()).contains("failed to create: [Table]");
        });
        assertThat(stack.stackStatus()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
        assertThatThrownBy(() -> sqs.getQueueUrl(b -> b.queueName(name + "-q")))
                .isInstanceOf(QueueDoesNotExistException.class);
    }

    @Test
    void refusals_carryCloudFormationsCodesAndWords() {
        String name = stackName();
        assertThatThrownBy(() -> changeSet(name, "{\"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\","
                + " \"Properties\": {\"X\": {\"Ref\": \"Nowhere\"}}}}}", ChangeSetType.CREATE))
                .isInstanceOf(CloudFormationException.class)
                .hasMessageContaining("Unresolved resource dependencies [Nowhere]")
                .satisfies(e -> assertThat(((CloudFormationException) e).awsErrorDetails().errorCode())
                        .isEqualTo("ValidationError"));
        assertThatThrownBy(() -> cfn.createChangeSet(b -> b.stackName(name).changeSetName("c")
                .changeSetType(ChangeSetType.CREATE)
                .templateBody("{\"Resources\": {\"R\": {\"Type\": \"AWS::IAM::Role\"}}}")))
                .isInstanceOf(CloudFormationException.class)
                .satisfies(e -> assertThat(((CloudFormationException) e).awsErrorDetails().errorCode())
                        .isEqualTo("InsufficientCapabilitiesException"));
        assertThatThrownBy(() -> changeSet(name, "{\"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\"}}}",
                ChangeSetType.UPDATE)).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> cfn.describeStacks(b -> b.stackName("no-such-stack")))
                .hasMessageContaining("Stack with id no-such-stack does not exist");
        assertThatThrownBy(() -> changeSet(name, "{\"Parameters\": {\"P\": {\"Type\": \"String\"}},"
                + " \"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\"}}}", ChangeSetType.CREATE))
                .hasMessageContaining("Parameters: [P] must have values");
    }

    @Test
    void deleteStack_deletesResources_keepsRetainedOnes_andFailsOnABucketWithObjects() {
        String name = stackName();
        String template = """
                {"Resources": {
                  "Kept": {"Type": "AWS::SQS::Queue", "DeletionPolicy": "Retain"},
                  "Gone": {"Type": "AWS::SQS::Queue"},
                  "Bucket": {"Type": "AWS::S3::Bucket"}},
                 "Outputs": {"Kept": {"Value": {"Ref": "Kept"}}, "Gone": {"Value": {"Ref": "Gone"}},
                             "Bucket": {"Value": {"Ref": "Bucket"}}}}
                """;
        Map<String, String> out = outputs(createStack(name, template, List.of()));
        s3.putObject(b -> b.bucket(out.get("Bucket")).key("data"), RequestBody.fromString("kept"));

        cfn.deleteStack(b -> b.stackName(name));
        Stack failed = awaitStatus(name, StackStatus.DELETE_FAILED);
        assertThat(failed.stackStatusReason()).contains("[Bucket]");
        assertThatThrownBy(() -> sqs.getQueueAttributes(b -> b.queueUrl(out.get("Gone"))))
                .isInstanceOf(QueueDoesNotExistException.class);

        cfn.deleteStack(b -> b.stackName(name).retainResources("Bucket"));
        String id = failed.stackId();
        await().atMost(Duration.ofSeconds(30)).until(() -> cfn.describeStacks(b -> b.stackName(id)).stacks().get(0)
                .stackStatus() == StackStatus.DELETE_COMPLETE);
        assertThatThrownBy(() -> cfn.describeStacks(b -> b.stackName(name))).hasMessageContaining("does not exist");
        sqs.getQueueAttributes(b -> b.queueUrl(out.get("Kept")));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(out.get("Bucket")).key("data")).asUtf8String()).isEqualTo("kept");
    }

    @Test
    void thePlaneStacksSynthesisedTemplate_deploys_andItsTableAndQueueWork() throws IOException {
        String template;
        try (InputStream in = getClass().getResourceAsStream("/cloudformation/plane-stack.template.json")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // The functions' code is the stack's asset in the CDK's assets bucket, as `deploy` uploads it; here a jar of
        // this module's fixture handlers stands in for the function jar (module lambda builds after this one).
        Matcher asset = Pattern.compile("\"S3Key\": ?\"([0-9a-f]{64}\\.jar)\"").matcher(template);
        assertThat(asset.find()).isTrue();
        String assets = "cdk-hnb659fds-assets-" + "000000000000" + "-" + REGION;
        s3.createBucket(b -> b.bucket(assets));
        s3.putObject(b -> b.bucket(assets).key(asset.group(1)), RequestBody.fromBytes(StackFunctionsTest.fixtureJar()));
        String withStandIns = template
                .replace("dev.spotkeeper.lambda.QueueHandler::handleRequest", BatchHandler.class.getName() + "::handle")
                .replace("dev.spotkeeper.lambda.ScheduleHandler::handleRequest", EchoHandler.class.getName() + "::handle");
        String name = stackName();
        CreateChangeSetResponse created = cfn.createChangeSet(b -> b.stackName(name).changeSetName("plane")
                .changeSetType(ChangeSetType.CREATE).templateBody(withStandIns).capabilities(Capability.CAPABILITY_IAM));
        await().atMost(Duration.ofSeconds(30)).until(() -> cfn.describeChangeSet(b -> b.changeSetName(created.id()))
                .status() == ChangeSetStatus.CREATE_COMPLETE);
        cfn.executeChangeSet(b -> b.changeSetName(created.id()));
        Stack stack = awaitStatus(name, StackStatus.CREATE_COMPLETE);
        Map<String, String> out = outputs(stack);
        dynamo.putItem(b -> b.tableName(out.get("StateTableName")).item(Map.of("pk", AttributeValue.fromS("w"),
                "sk", AttributeValue.fromS("s"))));
        sqs.sendMessage(b -> b.queueUrl(out.get("EventQueueUrl")).messageBody("{}"));
        assertThat(dynamo.describeTimeToLive(b -> b.tableName(out.get("StateTableName"))).timeToLiveDescription()
                .attributeName()).isEqualTo("expiresAt");
        assertThat(cfn.describeStackResources(b -> b.stackName(name)).stackResources()).hasSize(31)
                .allSatisfy(r -> assertThat(r.resourceStatusAsString()).isEqualTo("CREATE_COMPLETE"));
        assertThat(out.get("AgentLaunchTemplateName")).isEqualTo("spotkeeper-agent");
    }

    private static String stackName() {
        return "s" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Stack createStack(String name, String template, List<Parameter> parameters) {
        CreateChangeSetResponse created = cfn.createChangeSet(b -> b.stackName(name).changeSetName("create")
                .changeSetType(ChangeSetType.CREATE).templateBody(template).parameters(parameters)
                .capabilities(Capability.CAPABILITY_IAM));
        await().atMost(Duration.ofSeconds(30)).until(() -> cfn.describeChangeSet(b -> b.changeSetName(created.id()))
                .status() == ChangeSetStatus.CREATE_COMPLETE);
        cfn.executeChangeSet(b -> b.changeSetName(created.id()));
        return awaitStatus(name, StackStatus.CREATE_COMPLETE);
    }

    private static DescribeChangeSetResponse changeSet(String stack, String template, ChangeSetType type) {
        String csName = "cs" + UUID.randomUUID().toString().substring(0, 8);
        cfn.createChangeSet(b -> b.stackName(stack).changeSetName(csName).changeSetType(type).templateBody(template));
        return cfn.describeChangeSet(b -> b.stackName(stack).changeSetName(csName));
    }

    private static Stack awaitStatus(String name, StackStatus wanted) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            StackStatus s = cfn.describeStacks(b -> b.stackName(name)).stacks().get(0).stackStatus();
            return !s.toString().endsWith("_IN_PROGRESS") || s == wanted;
        });
        Stack stack = cfn.describeStacks(b -> b.stackName(name)).stacks().get(0);
        assertThat(stack.stackStatus()).as(stack.stackStatusReason() + " " + events(name)).isEqualTo(wanted);
        return stack;
    }

    private static List<StackEvent> events(String name) {
        return cfn.describeStackEvents(b -> b.stackName(name)).stackEvents();
    }

    private static Map<String, String> outputs(Stack stack) {
        return stack.outputs().stream().collect(Collectors.toMap(o -> o.outputKey(), o -> o.outputValue()));
    }
}
