package dev.spotkeeper.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spotkeeper.core.cloud.FleetPort;
import dev.spotkeeper.core.cloud.FleetPort.Fleet;
import dev.spotkeeper.core.cloud.FleetPort.GroupSpec;
import dev.spotkeeper.core.cloud.FleetPort.Member;
import dev.spotkeeper.core.cloud.FleetPort.TargetSpec;
import dev.spotkeeper.emulator.autoscaling.AutoScalingComponent;
import dev.spotkeeper.emulator.elb.ElbComponent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@link AwsFleet} against the emulator's Auto Scaling, ELB (a real HAProxy) and EC2: a fleet made once, serving
 * through its load balancer, an instance detached with its replacement at once, a termination let go, deleted.
 */
class AwsFleetTest {
    private static final String ACCOUNT = "000000000000";
    /** Serves HTTP on the host port that stands for the instance's port 8080 (read from its metadata, IMDSv2). */
    private static final String SERVER = """
            #!/bin/sh
            e="$AWS_EC2_METADATA_SERVICE_ENDPOINT"
            t=$(curl -s -X PUT "$e/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 300")
            port=$(curl -s -H "X-aws-ec2-metadata-token: $t" "$e/latest/meta-data/spotkeeper/host-port/8080")
            id=$(curl -s -H "X-aws-ec2-metadata-token: $t" "$e/latest/meta-data/instance-id")
            mkdir -p www && echo "$id" > www/index.html && echo ok > www/health
            exec python3 -m http.server "$port" --bind 127.0.0.1 --directory www
            """;

    private static EmulatedAws aws;
    private static AwsFleet fleets;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/haproxy")), "HAProxy (Debian package haproxy) is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is needed inside the emulated instances");
        aws = EmulatedAws.start(64, new ElbComponent(ACCOUNT), new AutoScalingComponent(ACCOUNT));
        fleets = new AwsFleet(aws.settings);
    }

    @AfterAll
    static void stop() {
        if (fleets != null) {
            fleets.close();
        }
        if (aws != null) {
            aws.close();
        }
    }

    private static GroupSpec spec(String name, int desired, List<String> types) {
        return new GroupSpec(name, EmulatedAws.REGION, "ami-0e5f0a1b2c3d40001", SERVER, types,
                List.of("us-east-1a", "us-east-1b"), desired, desired + 1, 1, "price-capacity-optimized",
                Map.of("spotkeeper:workload", name), new TargetSpec(8080, "/health", Duration.ofSeconds(5), 2, 2,
                Duration.ofSeconds(2), 80), Duration.ofMinutes(5), Optional.empty());
    }

    private static List<Member> inService(String name) {
        return fleets.group(EmulatedAws.REGION, name).orElseThrow().members().stream()
                .filter(m -> m.lifecycleState().equals("InService")).toList();
    }

    private static long healthy(Fleet f) {
        return fleets.targetHealth(EmulatedAws.REGION, f.targetGroupArn()).stream()
                .filter(t -> t.state().equals("healthy")).count();
    }

    @Test
    void ensure_makesAMixedGroupBehindALoadBalancer_once_andServesThroughIt() throws Exception {
        Fleet made = fleets.ensure(spec("web", 2, List.of("m5.large", "m5a.large")));
        Fleet again = fleets.ensure(spec("web", 2, List.of("m5a.large", "m5.large")));

        assertThat(again).isEqualTo(made);
        assertThat(made.ownLoadBalancer()).isTrue();
        assertThat(fleets.clientRegions()).as("built on the first fleet call").containsExactly(EmulatedAws.REGION);
        FleetPort.Group g = fleets.group(EmulatedAws.REGION, "web").orElseThrow();
        assertThat(g.desired()).isEqualTo(2);
        assertThat(g.capacityRebalance()).isTrue();
        assertThat(g.instanceTypes()).containsExactly("m5a.large", "m5.large");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> healthy(made) == 2);
        try (Ec2Client ec2 = new Ec2Clients(aws.settings).forRegion(EmulatedAws.REGION)) {
            var template = ec2.describeLaunchTemplates(r -> { }).launchTemplates().stream()
                    .filter(t -> t.launchTemplateName().startsWith(AwsFleet.TEMPLATE_PREFIX + "web-")).toList();
            assertThat(template).hasSize(1);
            assertThat(template.get(0).tags()).as("tagged with the group's tags as it is made")
                    .anySatisfy(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("spotkeeper:workload=web"));
        }
        URI endpoint = aws.emulator.lookup(dev.spotkeeper.emulator.spi.LoadBalancerControl.class).orElseThrow()
                .listenerEndpoint(made.loadBalancerArn(), 80).orElseThrow();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(g.members()).extracting(Member::instanceId).contains(answer.body().trim());
    }

    @Test
    void detach_keepsTheDesiredCapacity_andTheGroupLaunchesTheReplacementAtOnce() {
        Fleet f = fleets.ensure(spec("detached", 2, List.of("m5.large")));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> inService("detached").size() == 2);
        String leaving = inService("detached").get(0).instanceId();

        fleets.detach(EmulatedAws.REGION, "detached", leaving);

        FleetPort.Group after = fleets.group(EmulatedAws.REGION, "detached").orElseThrow();
        assertThat(after.desired()).isEqualTo(2);
        assertThat(after.counted()).hasSize(2).extracting(Member::instanceId).doesNotContain(leaving);
        assertThat(fleets.targetHealth(EmulatedAws.REGION, f.targetGroupArn()))
                .filteredOn(t -> t.instanceId().equals(leaving)).extracting(FleetPort.TargetHealth::state)
                .containsExactly("draining");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> fleets
                .group(EmulatedAws.REGION, "detached").orElseThrow().members().stream()
                .noneMatch(m -> m.instanceId().equals(leaving)));
    }

    @Test
    void scaleIn_waitsInTheTerminationHook_untilCompleted_andDeleteRemovesEverything() {
        Fleet f = fleets.ensure(spec("shrinks", 2, List.of("m5.large")));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> inService("shrinks").size() == 2);

        fleets.setDesiredCapacity(EmulatedAws.REGION, "shrinks", 1);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> fleets
                .group(EmulatedAws.REGION, "shrinks").orElseThrow().members().stream()
                .anyMatch(m -> m.lifecycleState().equals("Terminating:Wait")));
        String ending = fleets.group(EmulatedAws.REGION, "shrinks").orElseThrow().members().stream()
                .filter(m -> m.lifecycleState().equals("Terminating:Wait")).findFirst().orElseThrow().instanceId();
        fleets.completeTermination(EmulatedAws.REGION, "shrinks", ending);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> fleets
                .group(EmulatedAws.REGION, "shrinks").orElseThrow().members().stream()
                .noneMatch(m -> m.instanceId().equals(ending)));

        fleets.delete(EmulatedAws.REGION, f);
        fleets.delete(EmulatedAws.REGION, f);

        assertThat(fleets.group(EmulatedAws.REGION, "shrinks")).isEmpty();
        try (Ec2Client ec2 = new Ec2Clients(aws.settings).forRegion(EmulatedAws.REGION)) {
            assertThat(ec2.describeLaunchTemplates(r -> { }).launchTemplates())
                    .noneMatch(t -> t.launchTemplateName().startsWith(AwsFleet.TEMPLATE_PREFIX + "shrinks-"));
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> ec2
                    .describeInstances(r -> r.filters(b -> b.name("tag:spotkeeper:workload").values("shrinks")))
                    .reservations().stream().flatMap(r -> r.instances().stream())
                    .allMatch(i -> i.state().nameAsString().equals("terminated")
                            || i.state().nameAsString().equals("shutting-down")));
        }
    }
}
