package dev.spotkeeper.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spotkeeper.core.cloud.FleetPort.Fleet;
import dev.spotkeeper.core.cloud.FleetPort.GroupSpec;
import dev.spotkeeper.core.cloud.FleetPort.Member;
import dev.spotkeeper.core.cloud.FleetPort.TargetSpec;
import dev.spotkeeper.emulator.autoscaling.AutoScalingComponent;
import dev.spotkeeper.emulator.elb.ElbComponent;
import dev.spotkeeper.emulator.spi.LoadBalancerControl;
import dev.spotkeeper.testkit.load.HalfAnswerServer;
import dev.spotkeeper.testkit.load.LoadSummary;
import dev.spotkeeper.testkit.load.SteadyLoad;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * What the drain buys, at the emulator's level (Auto Scaling, ELB with a real HAProxy, EC2), under a steady load
 * through the load balancer: an instance that leaves the way spotkeeper lets it go (detached, its target drained
 * for the deregistration delay, terminated once it has left the target group) fails no request; the same instance
 * simply killed, as when nothing acts on the interruption warning, fails the requests it was in the middle of.
 *
 * <p>HAProxy retries a request whose connection failed or that got no answer at all on another server
 * (docs/emulator-fleet.md), so a kill shows only in answers that had begun: the instances' server sends its
 * headers and half its body, works for 200 ms, then sends the rest — a request in that window when its process
 * ends is cut, and no load balancer can hide it.
 */
class FleetDrainTest {
    private static final String ACCOUNT = "000000000000";
    static final String SERVER = HalfAnswerServer.USER_DATA;
    private static final int REPLICAS = 3;
    private static final double RATE = 150;

    private static EmulatedAws aws;
    private static AwsFleet fleets;
    private static Ec2Client ec2;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/haproxy")), "HAProxy (Debian package haproxy) is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is needed inside the emulated instances");
        aws = EmulatedAws.start(64, new ElbComponent(ACCOUNT), new AutoScalingComponent(ACCOUNT));
        fleets = new AwsFleet(aws.settings);
        ec2 = new Ec2Clients(aws.settings).forRegion(EmulatedAws.REGION);
    }

    @AfterAll
    static void stop() {
        if (ec2 != null) {
            ec2.close();
        }
        if (fleets != null) {
            fleets.close();
        }
        if (aws != null) {
            aws.close();
        }
    }

    private static Fleet fleet(String name) {
        Fleet f = fleets.ensure(new GroupSpec(name, EmulatedAws.REGION, "ami-0e5f0a1b2c3d40001", SERVER,
                List.of("m5.large", "m5a.large"), List.of("us-east-1a", "us-east-1b"), REPLICAS, REPLICAS + 1, 0,
                "price-capacity-optimized", Map.of("spotkeeper:workload", name),
                new TargetSpec(8080, "/health", Duration.ofSeconds(5), 2, 2, Duration.ofSeconds(2), 80),
                Duration.ofMinutes(5), Optional.empty()));
        awaitServing(f);
        return f;
    }

    /** The group at its capacity, every member in service and its target healthy. */
    private static void awaitServing(Fleet f) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            List<String> inService = inService(f).stream().map(Member::instanceId).toList();
            long healthy = fleets.targetHealth(EmulatedAws.REGION, f.targetGroupArn()).stream()
                    .filter(t -> t.state().equals("healthy") && inService.contains(t.instanceId())).count();
            return inService.size() == REPLICAS && healthy == REPLICAS;
        });
    }

    private static List<Member> inService(Fleet f) {
        return fleets.group(EmulatedAws.REGION, f.groupName()).orElseThrow().members().stream()
                .filter(m -> m.lifecycleState().equals("InService")).toList();
    }

    private static URI endpoint(Fleet f) {
        return aws.emulator.lookup(LoadBalancerControl.class).orElseThrow()
                .listenerEndpoint(f.loadBalancerArn(), 80).orElseThrow();
    }

    private static void terminate(String instanceId) {
        ec2.terminateInstances(r -> r.instanceIds(instanceId));
    }

    private static void awaitSent(SteadyLoad load, Instant since, int n) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> load.summary(since, Instant.MAX).count() >= n);
    }

    @Test
    void anInstanceDetachedAndDrainedBeforeItEnds_failsNoRequest() throws Exception {
        Fleet f = fleet("drained");
        String leaving = inService(f).get(0).instanceId();
        try (SteadyLoad load = SteadyLoad.start(endpoint(f), RATE, Duration.ofSeconds(120), Duration.ofSeconds(10))) {
            awaitSent(load, Instant.MIN, 200);

            fleets.detach(EmulatedAws.REGION, f.groupName(), leaving);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> fleets
                    .targetHealth(EmulatedAws.REGION, f.targetGroupArn()).stream()
                    .noneMatch(t -> t.instanceId().equals(leaving)));
            terminate(leaving);
            awaitServing(f);
            awaitSent(load, Instant.now(), 200);
            load.stop();
            assertThat(load.awaitEnd(Duration.ofSeconds(30))).isTrue();

            LoadSummary all = load.summary();
            System.out.println("detached and drained: " + all.line());
            assertThat(all.count()).isGreaterThan(600);
            assertThat(load.failures()).as(all.line()).isEmpty();
        }
    }

    @Test
    void theSameInstanceKilledWithoutDetachOrDrain_failsTheRequestsItWasServing() throws Exception {
        Fleet f = fleet("killed");
        String leaving = inService(f).get(0).instanceId();
        try (SteadyLoad load = SteadyLoad.start(endpoint(f), RATE, Duration.ofSeconds(120), Duration.ofSeconds(10))) {
            awaitSent(load, Instant.MIN, 200);

            Instant killed = Instant.now();
            terminate(leaving);
            awaitServing(f);
            awaitSent(load, Instant.now(), 200);
            load.stop();
            assertThat(load.awaitEnd(Duration.ofSeconds(30))).isTrue();

            LoadSummary all = load.summary();
            System.out.println("killed: " + all.line() + "; first failure: " + load.failures().stream().findFirst()
                    .map(SteadyLoad.Sample::detail).orElse("none"));
            assertThat(all.failed()).as(all.line()).isPositive();
            assertThat(all.failed()).isEqualTo(all.connectionErrors());
            // The cut answers are those under way when the process ended: sent within the last 200 ms or so before.
            assertThat(load.failures()).allMatch(s -> s.start().isAfter(killed.minusSeconds(2))
                    && s.start().isBefore(killed.plusSeconds(5)));
            assertThat(fleets.group(EmulatedAws.REGION, f.groupName()).orElseThrow().members())
                    .extracting(Member::instanceId).doesNotContain(leaving);
        }
    }
}
