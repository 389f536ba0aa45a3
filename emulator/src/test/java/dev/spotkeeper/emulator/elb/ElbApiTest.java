package dev.spotkeeper.emulator.elb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.elb.ElbTestRig.Backend;
import dev.spotkeeper.emulator.spi.LoadBalancerControl;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DuplicateTargetGroupNameException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.InvalidConfigurationRequestException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.InvalidTargetException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ResourceInUseException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * Elastic Load Balancing v2 through the AWS SDK, with real requests through the load balancer's HAProxy to small
 * HTTP servers registered as {@code ip} targets on 127.0.0.1.
 */
class ElbApiTest {
    @TempDir
    static Path work;

    private static LocalEmulator emulator;
    private static ElasticLoadBalancingV2Client elb;
    private static final List<Backend> backends = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/haproxy")), "HAProxy (Debian package haproxy) is not installed");
        emulator = LocalEmulator.builder().port(0).seed(3).bootDelay(Duration.ZERO).traces(false)
                .workDirectory(work.resolve("emulator")).component(new ElbComponent("000000000000")).start();
        elb = ElbTestRig.elb(emulator);
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
        backends.forEach(Backend::close);
    }

    private static Backend backend(String name) throws Exception {
        Backend b = new Backend(name);
        backends.add(b);
        return b;
    }

    private static TargetGroup targetGroup(String name) {
        return elb.createTargetGroup(r -> r.name(name).protocol("HTTP").port(80).vpcId("vpc-1").targetType("ip")
                .healthCheckPath("/health").healthCheckIntervalSeconds(5).healthyThresholdCount(2)
                .unhealthyThresholdCount(2)).targetGroups().get(0);
    }

    private static LoadBalancer loadBalancer(String name) {
        return elb.createLoadBalancer(r -> r.name(name).subnets("subnet-us-east-1a", "subnet-us-east-1b"))
                .loadBalancers().get(0);
    }

    private static void listen(LoadBalancer lb, TargetGroup tg, int port) {
        elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTP").port(port)
                .defaultActions(Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(tg.targetGroupArn()).build()));
    }

    private static TargetDescription target(Backend b) {
        return TargetDescription.builder().id("127.0.0.1").port(b.port()).build();
    }

    private static Map<Integer, String> states(TargetGroup tg) {
        return elb.describeTargetHealth(r -> r.targetGroupArn(tg.targetGroupArn())).targetHealthDescriptions()
                .stream().collect(Collectors.toMap(d -> d.target().port(), d -> d.targetHealth().stateAsString()));
    }

    @Test
    void requestsFlowThroughHaproxy_toHealthyTargetsOnly() throws Exception {
        Backend good = backend("good");
        Backend sick = backend("sick");
        sick.healthStatus.set(503);
        LoadBalancer lb = loadBalancer("web");
        TargetGroup tg = targetGroup("web-targets");
        listen(lb, tg, 80);
        elb.registerTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(target(good), target(sick)));

        assertThat(states(tg).values()).containsOnly("initial");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                "healthy".equals(states(tg).get(good.port())) && "unhealthy".equals(states(tg).get(sick.port())));
        TargetHealthDescription sickHealth = elb.describeTargetHealth(r -> r.targetGroupArn(tg.targetGroupArn())
                .targets(target(sick))).targetHealthDescriptions().get(0);
        assertThat(sickHealth.targetHealth().reasonAsString()).isEqualTo("Target.ResponseCodeMismatch");
        assertThat(sickHealth.targetHealth().description()).contains("503");

        URI endpoint = emulator.lookup(LoadBalancerControl.class).orElseThrow()
                .listenerEndpoint(lb.loadBalancerArn(), 80).orElseThrow();
        Set<String> answeredBy = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = ElbTestRig.get(endpoint.resolve("/"));
            assertThat(response.statusCode()).isEqualTo(200);
            answeredBy.add(response.body());
        }
        assertThat(answeredBy).containsExactly("good");
        assertThat(sick.served.get()).isZero();
    }

    @Test
    void aNewTarget_isSentNoRequest_beforeItsChecksPassed() throws Exception {
        Backend first = backend("first");
        Backend late = backend("late");
        LoadBalancer lb = loadBalancer("rise");
        TargetGroup tg = targetGroup("rise-targets");
        listen(lb, tg, 8082);
        elb.registerTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(target(first)));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "healthy".equals(states(tg).get(first.port())));
        URI endpoint = emulator.lookup(LoadBalancerControl.class).orElseThrow()
                .listenerEndpoint(lb.loadBalancerArn(), 8082).orElseThrow();

        elb.registerTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(target(late)));
        for (int i = 0; i < 20 && "initial".equals(states(tg).get(late.port())); i++) {
            assertThat(ElbTestRig.get(endpoint.resolve("/")).body()).isEqualTo("first");
        }
        assertThat(late.served.get()).as("requests to a target still initial").isZero();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "healthy".equals(states(tg).get(late.port())));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            ElbTestRig.get(endpoint.resolve("/"));
            return late.served.get() > 0;
        });
    }

    @Test
    void deregisteredTarget_drainsForTheDelay_thenLeavesTheGroup() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        LoadBalancer lb = loadBalancer("drain");
        TargetGroup tg = targetGroup("drain-targets");
        listen(lb, tg, 8080);
        elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(tg.targetGroupArn()).attributes(
                TargetGroupAttribute.builder().key("deregistration_delay.timeout_seconds").value("2").build()));
        assertThat(elb.describeTargetGroupAttributes(r -> r.targetGroupArn(tg.targetGroupArn())).attributes())
                .contains(TargetGroupAttribute.builder().key("deregistration_delay.timeout_seconds").value("2").build());
        elb.registerTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(target(a), target(b)));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> states(tg).values().stream().allMatch("healthy"::equals));

        elb.deregisterTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(target(a)));
        assertThat(states(tg)).containsEntry(a.port(), "draining").containsEntry(b.port(), "healthy");
        URI endpoint = emulator.lookup(LoadBalancerControl.class).orElseThrow()
                .listenerEndpoint(lb.loadBalancerArn(), 8080).orElseThrow();
        int before = a.served.get();
        for (int i = 0; i < 10; i++) {
            assertThat(ElbTestRig.get(endpoint).body()).isEqualTo("b");
        }
        assertThat(a.served.get()).isEqualTo(before);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> !states(tg).containsKey(a.port()));
        TargetHealthDescription gone = elb.describeTargetHealth(r -> r.targetGroupArn(tg.targetGroupArn())
                .targets(target(a))).targetHealthDescriptions().get(0);
        assertThat(gone.targetHealth().stateAsString()).isEqualTo("unused");
        assertThat(gone.targetHealth().reasonAsString()).isEqualTo("Target.NotRegistered");
    }

    @Test
    void steadyLoad_whileATargetDrainsAndStops_losesNoRequest() throws Exception {
        Backend leaving = backend("leaving");
        Backend staying = backend("staying");
        LoadBalancer lb = loadBalancer("steady");
        TargetGroup tg = targetGroup("steady-targets");
        listen(lb, tg, 8081);
        elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(tg.targetGroupArn()).attributes(
                TargetGroupAttribute.builder().key("deregistration_delay.timeout_seconds").value("1").build()));
        elb.registerTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(target(leaving), target(staying)));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> states(tg).values().stream().allMatch("healthy"::equals));
        URI endpoint = emulator.lookup(LoadBalancerControl.class).orElseThrow()
                .listenerEndpoint(lb.loadBalancerArn(), 8081).orElseThrow();

        java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread client = new Thread(() -> {
            while (!stop.get()) {
                try {
                    HttpResponse<String> r = ElbTestRig.get(endpoint);
                    if (r.statusCode() == 200) {
                        ok.incrementAndGet();
                    } else {
                        failures.add("HTTP " + r.statusCode());
                    }
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        });
        client.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> leaving.served.get() > 5 && staying.served.get() > 5);
            elb.deregisterTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(target(leaving)));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !states(tg).containsKey(leaving.port()));
            leaving.close();
            int before = ok.get();
            // At least 50 answers after the target left and 100 in all, however slowly a busy machine serves them.
            await().atMost(Duration.ofSeconds(30)).until(() -> ok.get() > before + 50 && ok.get() > 100);
        } finally {
            stop.set(true);
            client.join(10_000);
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void listenerLookup_fromAnotherProcess_answersTheLoopbackUrlThatServes() throws Exception {
        Backend b = backend("looked-up");
        LoadBalancer lb = loadBalancer("looked-up");
        TargetGroup tg = targetGroup("looked-up-targets");
        listen(lb, tg, 80);
        elb.registerTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(target(b)));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "healthy".equals(states(tg).get(b.port())));

        URI url = ListenerLookup.listenerUrl(emulator.endpoint(), lb.loadBalancerArn(), 80).orElseThrow();

        assertThat(url).isEqualTo(emulator.lookup(LoadBalancerControl.class).orElseThrow()
                .listenerEndpoint(lb.loadBalancerArn(), 80).orElseThrow());
        assertThat(url.getHost()).isEqualTo("127.0.0.1");
        HttpResponse<String> response = ElbTestRig.get(url.resolve("/"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("looked-up");
        assertThat(ListenerLookup.listenerUrl(emulator.endpoint(), lb.loadBalancerArn(), 8080)).isEmpty();
        assertThat(ListenerLookup.listenerUrl(emulator.endpoint(), lb.loadBalancerArn() + "-gone", 80)).isEmpty();
    }

    @Test
    void targetGroupWithoutListener_isUnused() throws Exception {
        Backend a = backend("idle");
        TargetGroup tg = targetGroup("idle-targets");
        elb.registerTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(target(a)));
        TargetHealthDescription d = elb.describeTargetHealth(r -> r.targetGroupArn(tg.targetGroupArn()))
                .targetHealthDescriptions().get(0);
        assertThat(d.targetHealth().stateAsString()).isEqualTo("unused");
        assertThat(d.targetHealth().reasonAsString()).isEqualTo("Target.NotInUse");
    }

    @Test
    void describeAndDelete_followTheResources() throws Exception {
        LoadBalancer lb = loadBalancer("gone");
        TargetGroup tg = targetGroup("gone-targets");
        listen(lb, tg, 81);
        assertThat(elb.describeLoadBalancers(r -> r.names("gone")).loadBalancers())
                .extracting(LoadBalancer::loadBalancerArn).containsExactly(lb.loadBalancerArn());
        assertThat(elb.describeTargetGroups(r -> r.loadBalancerArn(lb.loadBalancerArn())).targetGroups())
                .extracting(TargetGroup::targetGroupArn).containsExactly(tg.targetGroupArn());
        assertThat(lb.dnsName()).startsWith("gone-").endsWith(".us-east-1.elb.localhost");
        URI endpoint = emulator.lookup(LoadBalancerControl.class).orElseThrow()
                .listenerEndpoint(lb.loadBalancerArn(), 81).orElseThrow();
        assertThat(ElbTestRig.get(endpoint).statusCode()).isEqualTo(503);
        assertThat(emulator.describe()).anyMatch(l -> l.startsWith("ELBv2:"))
                .anyMatch(l -> l.contains("gone port 81 -> " + endpoint));

        assertThatThrownBy(() -> elb.deleteTargetGroup(r -> r.targetGroupArn(tg.targetGroupArn())))
                .isInstanceOf(ResourceInUseException.class);
        elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn()));
        assertThatThrownBy(() -> ElbTestRig.get(endpoint)).isInstanceOf(ConnectException.class);
        elb.deleteTargetGroup(r -> r.targetGroupArn(tg.targetGroupArn()));
        assertThatThrownBy(() -> elb.describeLoadBalancers(r -> r.loadBalancerArns(lb.loadBalancerArn())))
                .isInstanceOf(LoadBalancerNotFoundException.class);
        assertThatThrownBy(() -> elb.describeTargetGroups(r -> r.targetGroupArns(tg.targetGroupArn())))
                .isInstanceOf(TargetGroupNotFoundException.class);
    }

    @Test
    void mistakes_areRefusedWithTheErrorsOfAws() {
        TargetGroup tg = targetGroup("strict-targets");
        assertThatThrownBy(() -> elb.createTargetGroup(r -> r.name("strict-targets").protocol("HTTP").port(81)
                .vpcId("vpc-1").targetType("ip"))).isInstanceOf(DuplicateTargetGroupNameException.class);
        assertThatThrownBy(() -> elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(tg.targetGroupArn())
                .attributes(TargetGroupAttribute.builder().key("deregistration_delay.timeout_seconds").value("4000").build())))
                .isInstanceOf(InvalidConfigurationRequestException.class).hasMessageContaining("0 to 3600");
        assertThatThrownBy(() -> elb.registerTargets(r -> r.targetGroupArn(tg.targetGroupArn())
                .targets(TargetDescription.builder().id("10.0.0.7").build())))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("loopback");
        assertThatThrownBy(() -> elb.describeTargetHealth(r -> r.targetGroupArn(tg.targetGroupArn() + "x")))
                .isInstanceOf(TargetGroupNotFoundException.class);
    }
}
