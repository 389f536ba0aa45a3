package dev.spotkeeper.emulator.elb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.AwsCli;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.elb.ElbTestRig.Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aws elbv2 …} (AWS CLI v2) against the emulator: the target's health as the CLI sees it change. */
class ElbCliTest {
    @TempDir
    static Path work;

    private static LocalEmulator emulator;
    private static Backend backend;

    @BeforeAll
    static void start() throws Exception {
        AwsCli.assumeInstalled();
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/haproxy")), "HAProxy (Debian package haproxy) is not installed");
        emulator = LocalEmulator.builder().port(0).seed(5).bootDelay(Duration.ZERO).traces(false)
                .workDirectory(work.resolve("emulator")).component(new ElbComponent("000000000000")).start();
        backend = new Backend("cli");
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static AwsCli cli() {
        return new AwsCli(emulator.endpoint().toString(), emulator.credentials().accessKeyId(),
                emulator.credentials().secretAccessKey(), ElbTestRig.REGION, work);
    }

    private static Map<String, Object> json(String text) {
        return Json.parseObject(text);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> first(Map<String, Object> doc, String list) {
        return ((List<Map<String, Object>>) doc.get(list)).get(0);
    }

    @SuppressWarnings("unchecked")
    private static String state(AwsCli cli, String tg) throws Exception {
        Map<String, Object> d = first(json(cli.ok("elbv2", "describe-target-health", "--target-group-arn", tg)),
                "TargetHealthDescriptions");
        return (String) ((Map<String, Object>) d.get("TargetHealth")).get("State");
    }

    @Test
    void cli_createsTheLoadBalancer_andSeesTheTargetDrain() throws Exception {
        AwsCli cli = cli();
        String lb = (String) first(json(cli.ok("elbv2", "create-load-balancer", "--name", "cli-web",
                "--subnets", "subnet-us-east-1a")), "LoadBalancers").get("LoadBalancerArn");
        String tg = (String) first(json(cli.ok("elbv2", "create-target-group", "--name", "cli-web-targets",
                "--protocol", "HTTP", "--port", "80", "--vpc-id", "vpc-1", "--target-type", "ip",
                "--health-check-path", "/health", "--health-check-interval-seconds", "5",
                "--healthy-threshold-count", "2")), "TargetGroups").get("TargetGroupArn");
        cli.ok("elbv2", "create-listener", "--load-balancer-arn", lb, "--protocol", "HTTP", "--port", "80",
                "--default-actions", "Type=forward,TargetGroupArn=" + tg);
        cli.ok("elbv2", "modify-target-group-attributes", "--target-group-arn", tg, "--attributes",
                "Key=deregistration_delay.timeout_seconds,Value=120");
        String target = "Id=127.0.0.1,Port=" + backend.port();
        cli.ok("elbv2", "register-targets", "--target-group-arn", tg, "--targets", target);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> state(cli, tg).equals("healthy"));
        cli.ok("elbv2", "deregister-targets", "--target-group-arn", tg, "--targets", target);
        assertThat(state(cli, tg)).isEqualTo("draining");
        assertThat(cli.ok("elbv2", "describe-target-group-attributes", "--target-group-arn", tg))
                .contains("\"Value\": \"120\"");

        AwsCli.Result missing = cli.run("elbv2", "describe-load-balancers", "--names", "nope");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("LoadBalancerNotFound");
    }
}
