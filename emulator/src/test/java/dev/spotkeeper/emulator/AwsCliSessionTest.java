package dev.spotkeeper.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.testkit.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A realistic session through the AWS CLI v2 (Debian's awscli at /usr/bin/aws): launch a spot instance with a
 * max price, list it, interrupt it with an FIS experiment, see the notice from inside the instance (its user data
 * polls IMDSv2 with curl) and the EventBridge message on the queue, see it terminated. (The S3 part of the
 * session — mb, cp, ls, rb --force — is in ServicesComponentsTest.)
 */
class AwsCliSessionTest {
    @TempDir
    static Path work;

    private static MutableClock clock;
    private static LocalEmulator emulator;

    @BeforeAll
    static void start() throws Exception {
        AwsCli.assumeInstalled();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is needed inside the emulated instance");
        clock = MutableClock.at("2026-03-01T12:00:00Z");
        emulator = LocalEmulator.builder().port(0).clock(clock).seed(11).bootDelay(Duration.ZERO)
                .workDirectory(work.resolve("emulator")).services(true).start();
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void spotInstance_interruptedByFis_seesTheNoticeAndEndsTerminated() throws Exception {
        Path userData = work.resolve("watch.sh");
        Files.writeString(userData, """
                #!/bin/sh
                # Polls IMDSv2 for the spot interruption notice, as a node termination handler does.
                echo "watching $AWS_EC2_METADATA_SERVICE_ENDPOINT"
                while true; do
                  token=$(curl -s -X PUT "$AWS_EC2_METADATA_SERVICE_ENDPOINT/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 300")
                  action=$(curl -s -f -H "X-aws-ec2-metadata-token: $token" "$AWS_EC2_METADATA_SERVICE_ENDPOINT/latest/meta-data/spot/instance-action")
                  if [ -n "$action" ]; then echo "NOTICE $action"; break; fi
                  sleep 0.2
                done
                sleep 600
                """);

        Map<String, Object> run = json(cli("ec2", "run-instances", "--image-id", "ami-0abcdef1234567890",
                "--instance-type", "m5.large", "--count", "1",
                "--instance-market-options", "{\"MarketType\":\"spot\",\"SpotOptions\":{\"MaxPrice\":\"0.50\","
                        + "\"SpotInstanceType\":\"one-time\",\"InstanceInterruptionBehavior\":\"terminate\"}}",
                "--metadata-options", "HttpTokens=required,HttpEndpoint=enabled",
                "--tag-specifications", "ResourceType=instance,Tags=[{Key=team,Value=ml}]",
                "--user-data", "file://" + userData));
        String id = (String) ((Map<?, ?>) ((List<?>) run.get("Instances")).get(0)).get("InstanceId");
        assertThat(id).startsWith("i-");

        await().atMost(Duration.ofSeconds(30)).until(() -> state(id).equals("running"));
        String listed = cli("ec2", "describe-instances", "--filters", "Name=tag:team,Values=ml",
                "Name=instance-state-name,Values=running", "--query", "Reservations[].Instances[].InstanceId", "--output", "text");
        assertThat(listed.trim()).isEqualTo(id);

        Path template = work.resolve("template.json");
        Files.writeString(template, """
                {"description": "interrupt the ml spot instance",
                 "roleArn": "arn:aws:iam::000000000000:role/fis",
                 "stopConditions": [{"source": "none"}],
                 "targets": {"SpotInstances": {"resourceType": "aws:ec2:spot-instance",
                     "resourceTags": {"team": "ml"},
                     "filters": [{"path": "State.Name", "values": ["running"]}],
                     "selectionMode": "ALL"}},
                 "actions": {"interrupt": {"actionId": "aws:ec2:send-spot-instance-interruptions",
                     "parameters": {"durationBeforeInterruption": "PT2M"},
                     "targets": {"SpotInstances": "SpotInstances"}}}}
                """);
        String templateId = (String) ((Map<?, ?>) json(cli("fis", "create-experiment-template",
                "--cli-input-json", "file://" + template)).get("experimentTemplate")).get("id");
        Map<String, Object> started = json(cli("fis", "start-experiment", "--experiment-template-id", templateId));
        String experimentId = (String) ((Map<?, ?>) started.get("experiment")).get("id");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(cli("ec2", "get-console-output", "--instance-id", id, "--query", "Output", "--output", "text"))
                        .contains("NOTICE").contains("\"action\":\"terminate\""));

        String queueUrl = cli("sqs", "get-queue-url", "--queue-name", "spotkeeper-events", "--query", "QueueUrl", "--output", "text").trim();
        List<Map<String, Object>> events = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<String, Object> received = json(cli("sqs", "receive-message", "--queue-url", queueUrl,
                    "--max-number-of-messages", "10", "--wait-time-seconds", "1"));
            for (Object m : (List<?>) received.getOrDefault("Messages", List.of())) {
                events.add(Json.parseObject((String) ((Map<?, ?>) m).get("Body")));
            }
            return events.stream().anyMatch(e -> e.get("detail-type").equals("EC2 Spot Instance Interruption Warning"));
        });
        Map<String, Object> warning = events.stream()
                .filter(e -> e.get("detail-type").equals("EC2 Spot Instance Interruption Warning")).findFirst().orElseThrow();
        assertThat(warning).containsEntry("source", "aws.ec2").containsEntry("version", "0").containsEntry("region", "us-east-1");
        assertThat(warning.get("detail")).isEqualTo(Map.of("instance-id", id, "instance-action", "terminate"));
        assertThat(warning.get("resources")).isEqualTo(List.of("arn:aws:ec2:us-east-1:000000000000:instance/" + id));

        clock.advance(Duration.ofMinutes(2));

        await().atMost(Duration.ofSeconds(30)).until(() -> state(id).equals("terminated"));
        await().atMost(Duration.ofSeconds(30)).until(() -> ((Map<?, ?>) ((Map<?, ?>) json(cli("fis", "get-experiment", "--id", experimentId))
                .get("experiment")).get("state")).get("status").equals("completed"));
    }

    private static String state(String id) throws Exception {
        return cli("ec2", "describe-instances", "--instance-ids", id, "--query",
                "Reservations[0].Instances[0].State.Name", "--output", "text").trim();
    }

    private static Map<String, Object> json(String text) {
        return Json.parseObject(text);
    }

    private static String cli(String... args) throws IOException, InterruptedException {
        return new AwsCli(emulator.endpoint().toString(), emulator.credentials().accessKeyId(),
                emulator.credentials().secretAccessKey(), "us-east-1", work).ok(args);
    }
}
