package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.core.cloud.FleetPort;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.FleetState;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.spi.LoadBalancerControl;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.fis.FisClient;
import software.amazon.awssdk.services.fis.model.CreateExperimentTemplateActionInput;
import software.amazon.awssdk.services.fis.model.CreateExperimentTemplateTargetInput;

/**
 * A fleet end to end on the local emulator through the controller: two replicas of a tiny HTTP server in an Auto
 * Scaling group behind a real HAProxy; one FIS spot interruption of a group instance (by its
 * {@code aws:autoscaling:groupName} tag) is answered by a detach that keeps the desired capacity, the replacement
 * requested within a second of the warning, two healthy targets again within 30 s, the detached instance terminated
 * once drained; cancel deletes the group and the load balancer.
 */
class FleetOnEmulatorTest {
    private static final String NAME = "emu-web";
    private static final String SPEC = """
            name: emu-web
            kind: fleet
            replicas: 2
            requirements:
              regions: [us-east-1]
              types: [m5.large, c5.large, m5.xlarge]
            placement: {strategy: price-capacity-optimized, pools: 2}
            service:
              port: 8080
              healthCheck: {path: /, interval: 5s, healthyThreshold: 2, unhealthyThreshold: 2}
              drain: 5s
            run: exec python3 -m http.server "$PORT" --bind 127.0.0.1
            """;

    private static LocalEmulator emulator;
    private static EmulatorBackend backend;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/haproxy")), "HAProxy (Debian package haproxy) is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is needed inside the emulated instances");
        emulator = ServiceRig.emulator(7);
        backend = new EmulatorBackend(emulator);
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    private static FleetState state() {
        return backend.store().workload(NAME).orElseThrow().fleet();
    }

    private static FleetPort fleets() {
        return backend.fleets().orElseThrow();
    }

    private static Optional<FleetPort.Group> group() {
        return fleets().group(EmulatorBackend.REGION, NAME);
    }

    private static List<String> healthy() {
        return fleets().targetHealth(EmulatorBackend.REGION, state().targetGroupArn()).stream()
                .filter(t -> t.state().equals("healthy")).map(FleetPort.TargetHealth::instanceId).toList();
    }

    private static Optional<ControllerEvent> event(Controller c, ControllerEvent.Kind kind, String contains) {
        return c.events(NAME).stream().filter(e -> e.kind() == kind && e.message().contains(contains)).findFirst();
    }

    /** One spot interruption of one of the group's running instances, chosen by FIS through the group's tag. */
    private static String interruptOne() {
        try (FisClient fis = FisClient.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(ServiceRig.credentials(emulator)).build()) {
            String template = fis.createExperimentTemplate(b -> b.clientToken("emu-web-one")
                    .description("one spot interruption in the fleet's group")
                    .roleArn("arn:aws:iam::000000000000:role/spotkeeper-fis").stopConditions(s -> s.source("none"))
                    .targets(Map.of("web", CreateExperimentTemplateTargetInput.builder()
                            .resourceType("aws:ec2:spot-instance")
                            .resourceTags(Map.of("aws:autoscaling:groupName", NAME)).selectionMode("COUNT(1)").build()))
                    .actions(Map.of("interrupt", CreateExperimentTemplateActionInput.builder()
                            .actionId("aws:ec2:send-spot-instance-interruptions")
                            .parameters(Map.of("durationBeforeInterruption", "PT2M"))
                            .targets(Map.of("SpotInstances", "web")).build())))
                    .experimentTemplate().id();
            String id = fis.startExperiment(b -> b.experimentTemplateId(template).clientToken("emu-web-one-run"))
                    .experiment().id();
            return await("the experiment to run").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> fis.getExperiment(b -> b.id(id)).experiment().state(),
                            st -> !st.statusAsString().equals("pending") && !st.statusAsString().equals("initiating"))
                    .toString();
        }
    }

    @Test
    void aWarnedReplica_isDetachedKeepingCapacity_replacedAtOnce_andTerminatedOnceDrained() throws Exception {
        var spec = YamlSpecs.parse("emu-web.yaml", SPEC);
        backend.prepare(spec);
        Controller controller = Jobs.controller(backend);
        controller.submit(spec);
        controller.start(Duration.ofMillis(200));
        try {
            await("two healthy targets").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> state().made() && healthy().size() == 2);
            URI url = emulator.lookup(LoadBalancerControl.class).orElseThrow()
                    .listenerEndpoint(state().loadBalancerArn(), 80).orElseThrow();
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url)
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);

            String experiment = interruptOne();
            assertThat(experiment).doesNotContain("failed");

            ControllerEvent warned = await("the warning").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> event(controller, ControllerEvent.Kind.AT_RISK, "interruption warning"),
                            Optional::isPresent).orElseThrow();
            String id = warned.instanceId();
            // The warning as the controller received it (its journal), and as EC2 dated it: two minutes before the
            // deadline it sets (EventBridge's times are in whole seconds).
            Instant warning = warned.time();
            Instant sent = warned.fields().deadline().orElseThrow().minus(Duration.ofMinutes(2));
            ControllerEvent detached = await("the detach").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> event(controller, ControllerEvent.Kind.FLEET, "detached " + id), Optional::isPresent)
                    .orElseThrow();
            assertThat(Duration.between(warning, detached.time()))
                    .as("from the warning's receipt to the detach (%s after EC2 sent it)",
                            Duration.between(sent, detached.time()))
                    .isLessThanOrEqualTo(Duration.ofSeconds(1));
            // The replacement is asked for at the first of the two notices AWS (and FIS) send together: a surge on
            // the rebalance recommendation, or the detach keeping the capacity on the warning.
            Instant noticed = controller.events(NAME).stream().filter(e -> e.kind() == ControllerEvent.Kind.AT_RISK
                    && e.instanceId().equals(id)).map(ControllerEvent::time).min(Instant::compareTo).orElseThrow();
            Instant requested = controller.events(NAME).stream().filter(e -> e.kind() == ControllerEvent.Kind.FLEET
                    && !e.time().isBefore(noticed) && (e.message().startsWith("desired capacity 3")
                    || e.message().startsWith("detached " + id))).map(ControllerEvent::time).min(Instant::compareTo)
                    .orElseThrow();
            assertThat(Duration.between(noticed, requested))
                    .as("from the first notice's receipt to the replacement's request (%s after EC2 sent them)",
                            Duration.between(sent, requested))
                    .isLessThanOrEqualTo(Duration.ofSeconds(1));
            FleetPort.Group g = group().orElseThrow();
            assertThat(g.desired()).isEqualTo(2);
            assertThat(g.counted()).hasSize(2).extracting(FleetPort.Member::instanceId).doesNotContain(id);

            await("two healthy replicas again").atMost(Duration.ofSeconds(31)).pollInterval(Duration.ofMillis(250))
                    .until(() -> healthy().stream().filter(t -> !t.equals(id)).count() == 2);
            assertThat(Duration.between(sent, Instant.now())).isLessThanOrEqualTo(Duration.ofSeconds(30));

            ControllerEvent terminated = await("the detached one terminated once drained").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> event(controller, ControllerEvent.Kind.FLEET, "terminated " + id),
                            Optional::isPresent).orElseThrow();
            // Terminated by the controller after its drain (5 s), long before the interruption's two minutes.
            assertThat(terminated.time()).isAfterOrEqualTo(detached.time().plusSeconds(5))
                    .isBefore(sent.plus(Duration.ofMinutes(2)));
            await("the detached one forgotten").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> state().detached().isEmpty());
            assertThat(backend.store().instance(id).orElseThrow().state()).isEqualTo(InstanceState.TERMINATED);

            String lb = state().loadBalancerArn();
            controller.cancel(NAME);
            await("the fleet deleted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> state().deleted()
                            && event(controller, ControllerEvent.Kind.FLEET, "deleted group " + NAME).isPresent());
            assertThat(group()).isEmpty();
            assertThat(emulator.lookup(LoadBalancerControl.class).orElseThrow().listenerEndpoint(lb, 80)).isEmpty();
        } catch (AssertionError | RuntimeException e) {
            // What the controller did and heard, to tell why.
            throw new AssertionError(e.getMessage() + "\ncontroller's journal:\n" + String.join("\n",
                    java.util.stream.Stream.concat(controller.events("").stream(), controller.events(NAME).stream())
                            .map(ControllerEvent::toString).toList()), e);
        } finally {
            controller.close();
        }
    }
}
