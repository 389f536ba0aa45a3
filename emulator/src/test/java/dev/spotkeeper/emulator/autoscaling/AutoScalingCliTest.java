package dev.spotkeeper.emulator.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.AwsCli;
import dev.spotkeeper.emulator.LocalEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aws autoscaling …} (AWS CLI v2) against the emulator: the group and its activities as the CLI sees them. */
class AutoScalingCliTest {
    @TempDir
    static Path work;

    private static LocalEmulator emulator;

    @BeforeAll
    static void start() throws Exception {
        AwsCli.assumeInstalled();
        emulator = LocalEmulator.builder().port(0).seed(19).bootDelay(Duration.ZERO).traces(false)
                .workDirectory(work.resolve("emulator")).component(new AutoScalingComponent("000000000000")).start();
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private static AwsCli cli() {
        return new AwsCli(emulator.endpoint().toString(), emulator.credentials().accessKeyId(),
                emulator.credentials().secretAccessKey(), "us-east-1", work);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> instances(AwsCli cli) throws Exception {
        Map<String, Object> doc = Json.parseObject(cli.ok("autoscaling", "describe-auto-scaling-groups",
                "--auto-scaling-group-names", "cli-web"));
        Map<String, Object> group = ((List<Map<String, Object>>) doc.get("AutoScalingGroups")).get(0);
        return (List<Map<String, Object>>) group.get("Instances");
    }

    private static long inService(AwsCli cli) throws Exception {
        return instances(cli).stream().filter(i -> "InService".equals(i.get("LifecycleState"))).count();
    }

    @Test
    void cli_createsAGroup_detachesAnInstance_andReadsTheActivities() throws Exception {
        AwsCli cli = cli();
        cli.ok("ec2", "create-launch-template", "--launch-template-name", "cli-lt", "--launch-template-data",
                "{\"ImageId\":\"" + AutoScalingApiTest.AMI + "\",\"InstanceType\":\"m5.large\"}");
        cli.ok("autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "cli-web",
                "--min-size", "1", "--max-size", "3", "--desired-capacity", "2",
                "--availability-zones", "us-east-1a", "us-east-1b",
                "--mixed-instances-policy", "{\"LaunchTemplate\":{\"LaunchTemplateSpecification\":{\"LaunchTemplateName\":"
                        + "\"cli-lt\"},\"Overrides\":[{\"InstanceType\":\"m5.large\"},{\"InstanceType\":\"c5.large\"}]},"
                        + "\"InstancesDistribution\":{\"OnDemandBaseCapacity\":0,\"OnDemandPercentageAboveBaseCapacity\":0}}");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> inService(cli) == 2);

        String leaving = (String) instances(cli).get(0).get("InstanceId");
        String detached = cli.ok("autoscaling", "detach-instances", "--auto-scaling-group-name", "cli-web",
                "--instance-ids", leaving, "--no-should-decrement-desired-capacity");
        assertThat(detached).contains("Detaching EC2 instance: " + leaving);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> inService(cli) == 2
                && instances(cli).stream().noneMatch(i -> leaving.equals(i.get("InstanceId"))));

        cli.ok("autoscaling", "set-desired-capacity", "--auto-scaling-group-name", "cli-web", "--desired-capacity", "1");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> instances(cli).size() == 1);
        String activities = cli.ok("autoscaling", "describe-scaling-activities", "--auto-scaling-group-name", "cli-web");
        assertThat(activities).contains("Detaching EC2 instance: " + leaving).contains("Terminating EC2 instance: i-")
                .contains("a user request explicitly set group desired capacity changing the desired capacity from 2 to 1");
        assertThat(cli.ok("autoscaling", "describe-auto-scaling-instances")).contains("cli-web");

        AwsCli.Result tooMany = cli.run("autoscaling", "set-desired-capacity", "--auto-scaling-group-name", "cli-web",
                "--desired-capacity", "9");
        assertThat(tooMany.exitCode()).isNotZero();
        assertThat(tooMany.err()).contains("ValidationError").contains("above max value 3");
    }
}
