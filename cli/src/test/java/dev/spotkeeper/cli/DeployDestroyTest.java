package dev.spotkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.services.events.EventRules;
import dev.spotkeeper.emulator.services.lambda.EventSourceMappings;
import dev.spotkeeper.emulator.services.lambda.LambdaFunctions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code spotkeeper deploy --endpoint-url} and {@code destroy} against the emulator: the synthesised plane becomes a
 * stack whose table and queue work, a redeploy changes nothing, and destroy leaves only the bucket with data.
 */
class DeployDestroyTest {
    @TempDir
    static Path dir;

    private static LocalEmulator emulator;

    @BeforeAll
    static void start() throws Exception {
        emulator = LocalEmulator.builder().port(0).seed(13).bootDelay(Duration.ZERO).traces(false).services(true)
                .workDirectory(dir.resolve("emulator")).start();
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static Map<String, String> env() {
        return Map.of("PATH", System.getenv().getOrDefault("PATH", ""),
                "AWS_ACCESS_KEY_ID", emulator.credentials().accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", emulator.credentials().secretAccessKey());
    }

    private static Run run(Callable<Integer> command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.configure(new CommandLine(command)).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String output(String out, String key) {
        Matcher m = Pattern.compile("  " + key + " = (\\S+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    @Test
    void deploy_thenRedeploy_thenDestroy() throws Exception {
        // The real function jar: the emulator's Lambda runtime loads it, as Lambda would.
        Path jar = FunctionJarOnEmulatorTest.FUNCTION_JAR;
        assertThat(jar).isRegularFile();
        Path agent = Files.write(dir.resolve("agent.jar"), "the agent's code".getBytes());
        String[] args = {"--endpoint-url", emulator.endpoint().toString(), "--region", "us-east-1",
                "--function-jar", jar.toString(), "--agent-jar", agent.toString()};
        DeployCommand deploy = new DeployCommand();
        deploy.environment = env();
        Run first = run(deploy, args);
        assertThat(first.code()).as(first.err() + first.out()).isZero();
        assertThat(first.out()).contains("creating stack spotkeeper").contains("stack spotkeeper: CREATE_COMPLETE")
                .containsPattern("CREATE_COMPLETE +AWS::DynamoDB::Table +StateTable");
        String table = output(first.out(), "StateTableName");
        String queue = output(first.out(), "EventQueueUrl");
        String artifacts = output(first.out(), "ArtifactsBucketName");
        String checkpoints = output(first.out(), "CheckpointBucketName");

        try (DynamoDbClient dynamo = onEmulator(DynamoDbClient.builder());
             SqsClient sqs = onEmulator(SqsClient.builder());
             S3Client s3 = onEmulator(S3Client.builder().forcePathStyle(true))) {
            dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("p"),
                    "sk", AttributeValue.fromS("s"))));
            dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("p"),
                    "sk", AttributeValue.fromS("s"))));
            // The stack's events function reads the queue: a message it cannot parse is dropped (deleted), and its
            // controller notes it in the table.
            sqs.sendMessage(b -> b.queueUrl(queue).messageBody("{}"));
            org.awaitility.Awaitility.await("the events function to take the message").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        Map<String, String> a = sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNamesWithStrings(
                                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                                .attributesAsStrings();
                        return a.get("ApproximateNumberOfMessages").equals("0")
                                && a.get("ApproximateNumberOfMessagesNotVisible").equals("0");
                    });
            assertThat(s3.getObjectAsBytes(b -> b.bucket(artifacts).key("agent/spotkeeper-agent.jar")).asUtf8String())
                    .isEqualTo("the agent's code");

            DeployCommand again = new DeployCommand();
            again.environment = env();
            Run second = run(again, args);
            assertThat(second.code()).as(second.err()).isZero();
            assertThat(second.out()).contains("no changes: stack spotkeeper is up to date");

            DestroyCommand destroy = new DestroyCommand();
            destroy.environment = env();
            Run gone = run(destroy, "--endpoint-url", emulator.endpoint().toString(), "--region", "us-east-1");
            assertThat(gone.code()).as(gone.err()).isZero();
            // The table holds what the plane's functions wrote, the bucket the agent jar: both kept; the empty
            // checkpoint bucket deleted.
            assertThat(gone.out()).contains("kept because they hold data: table " + table + ", bucket " + artifacts)
                    .contains("deleted bucket " + checkpoints);
            assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains(artifacts)
                    .doesNotContain(checkpoints);
            assertThat(dynamo.listTables().tableNames()).contains(table);
            assertThat(sqs.listQueues().queueUrls()).doesNotContain(queue);
        }
    }

    @Test
    void destroyWithDeleteData_leavesNothingOfTheStackBehind() throws Exception {
        Path agent = Files.write(dir.resolve("agent-2.jar"), "the agent's code, again".getBytes());
        DeployCommand deploy = new DeployCommand();
        deploy.environment = env();
        Run made = run(deploy, "--endpoint-url", emulator.endpoint().toString(), "--region", "us-east-1",
                "--function-jar", FunctionJarOnEmulatorTest.FUNCTION_JAR.toString(), "--agent-jar", agent.toString());
        assertThat(made.code()).as(made.err() + made.out()).isZero();
        String table = output(made.out(), "StateTableName");
        String queue = output(made.out(), "EventQueueUrl");
        String artifacts = output(made.out(), "ArtifactsBucketName");
        String checkpoints = output(made.out(), "CheckpointBucketName");
        String template = output(made.out(), "AgentLaunchTemplateName");
        EventRules rules = emulator.lookup(EventRules.class).orElseThrow();
        LambdaFunctions functions = emulator.lookup(LambdaFunctions.class).orElseThrow();
        EventSourceMappings mappings = emulator.lookup(EventSourceMappings.class).orElseThrow();
        assertThat(rules.rules(null)).as("the five rules and the schedule").hasSize(6);
        assertThat(functions.list()).hasSize(2);
        assertThat(mappings.list()).hasSize(1);

        try (DynamoDbClient dynamo = onEmulator(DynamoDbClient.builder());
             SqsClient sqs = onEmulator(SqsClient.builder());
             S3Client s3 = onEmulator(S3Client.builder().forcePathStyle(true));
             Ec2Client ec2 = onEmulator(Ec2Client.builder());
             CloudFormationClient cfn = onEmulator(CloudFormationClient.builder())) {
            // Data in the table and in both buckets: only --delete-data removes them.
            dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("p"),
                    "sk", AttributeValue.fromS("s"))));
            s3.putObject(b -> b.bucket(checkpoints).key("checkpoints/w/manifest.json"),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("{}"));
            String deadLetters = sqs.listQueues().queueUrls().stream().filter(u -> u.contains("EventDeadLetters"))
                    .findFirst().orElseThrow();

            DestroyCommand destroy = new DestroyCommand();
            destroy.environment = env();
            Run gone = run(destroy, "--endpoint-url", emulator.endpoint().toString(), "--region", "us-east-1",
                    "--delete-data");
            assertThat(gone.code()).as(gone.err() + gone.out()).isZero();

            try {
                assertThat(cfn.describeStacks(r -> r.stackName("spotkeeper")).stacks()).as("the stack")
                        .allMatch(st -> st.stackStatusAsString().equals("DELETE_COMPLETE"));
            } catch (software.amazon.awssdk.services.cloudformation.model.CloudFormationException e) {
                assertThat(e.getMessage()).as("the stack").contains("does not exist");
            }
            assertThat(rules.rules(null)).as("rules").isEmpty();
            assertThat(functions.list()).as("functions").isEmpty();
            assertThat(mappings.list()).as("event-source mappings").isEmpty();
            assertThat(sqs.listQueues().queueUrls()).as("queues").doesNotContain(queue, deadLetters);
            assertThat(dynamo.listTables().tableNames()).as("table").doesNotContain(table);
            assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).as("buckets, with their data")
                    .doesNotContain(artifacts, checkpoints);
            assertThat(ec2.describeLaunchTemplates(r -> { }).launchTemplates())
                    .extracting(LaunchTemplate::launchTemplateName).as("launch template").doesNotContain(template);
        }
    }

    /** An SDK client of the emulator's endpoint, region and keys. */
    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C onEmulator(B builder) {
        return builder.endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
