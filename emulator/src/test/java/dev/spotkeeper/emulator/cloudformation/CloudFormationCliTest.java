package dev.spotkeeper.emulator.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.AwsCli;
import dev.spotkeeper.emulator.LocalEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aws cloudformation deploy} (AWS CLI v2) against the emulator: create, redeploy without changes, delete. */
class CloudFormationCliTest {
    @TempDir
    static Path work;

    private static LocalEmulator emulator;

    @BeforeAll
    static void start() throws Exception {
        AwsCli.assumeInstalled();
        emulator = LocalEmulator.builder().port(0).seed(7).bootDelay(Duration.ZERO).traces(false).services(true)
                .workDirectory(work.resolve("emulator")).start();
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void deploy_createsTheStack_redeploySaysNoChanges_deleteRemovesIt() throws Exception {
        AwsCli cli = new AwsCli(emulator.endpoint().toString(), emulator.credentials().accessKeyId(),
                emulator.credentials().secretAccessKey(), "us-east-1", work);
        Path template = work.resolve("queue.json");
        Files.writeString(template, """
                {"Parameters": {"Visibility": {"Type": "Number", "Default": 45}},
                 "Resources": {"Queue": {"Type": "AWS::SQS::Queue",
                                "Properties": {"VisibilityTimeout": {"Ref": "Visibility"}}}},
                 "Outputs": {"QueueUrl": {"Value": {"Ref": "Queue"}}}}
                """);
        String first = cli.ok("cloudformation", "deploy", "--template-file", template.toString(),
                "--stack-name", "cli-stack");
        assertThat(first).contains("Successfully created/updated stack - cli-stack");

        Map<String, Object> stacks = Json.parseObject(cli.ok("cloudformation", "describe-stacks",
                "--stack-name", "cli-stack"));
        Map<String, Object> stack = ((List<Map<String, Object>>) stacks.get("Stacks")).get(0);
        assertThat(stack.get("StackStatus")).isEqualTo("CREATE_COMPLETE");
        String url = (String) ((List<Map<String, Object>>) stack.get("Outputs")).get(0).get("OutputValue");
        assertThat(cli.ok("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names",
                "VisibilityTimeout")).contains("\"45\"");

        AwsCli.Result again = cli.run("cloudformation", "deploy", "--template-file", template.toString(),
                "--stack-name", "cli-stack", "--no-fail-on-empty-changeset");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out() + again.err()).contains("No changes to deploy");

        cli.ok("cloudformation", "deploy", "--template-file", template.toString(), "--stack-name", "cli-stack",
                "--parameter-overrides", "Visibility=75");
        assertThat(cli.ok("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names",
                "VisibilityTimeout")).contains("\"75\"");

        cli.ok("cloudformation", "delete-stack", "--stack-name", "cli-stack");
        cli.ok("cloudformation", "wait", "stack-delete-complete", "--stack-name", "cli-stack");
        assertThat(cli.run("sqs", "get-queue-attributes", "--queue-url", url).exitCode()).isNotZero();
    }
}
