package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spotkeeper.awsclient.ClientSettings;
import dev.spotkeeper.awsclient.SdkClients;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.cloud.FleetPort;
import dev.spotkeeper.core.cloud.FleetPort.Member;
import dev.spotkeeper.core.store.FleetState;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.spi.InstanceControl;
import dev.spotkeeper.emulator.spi.LoadBalancerControl;
import dev.spotkeeper.spec.yaml.YamlSpecs;
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
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.fis.FisClient;
import software.amazon.awssdk.services.fis.model.CreateExperimentTemplateActionInput;
import software.amazon.awssdk.services.fis.model.CreateExperimentTemplateTargetInput;
import software.amazon.awssdk.services.fis.model.ExperimentTemplateTargetInputFilter;

/**
 * THE LONG TEST of a fleet (about four minutes): a {@code kind: fleet} workload run by the controller on the
 * emulator (Auto Scaling, a real HAProxy as its load balancer), a steady load of 250 requests a second through the
 * load balancer the whole time, and FIS interrupting the group's instances (by the {@code aws:autoscaling:groupName}
 * tag): five in a row, then two in the same pool at once ({@code COUNT(2)} filtered on type and zone). Afterwards:
 * no request failed (no connection error, no timeout, no 5xx), each replacement was launched (the controller's
 * detach, the first thing done for a warning) within 1 s of the controller receiving each warning (for the second of
 * a pair: of the first one's detach, handled just before it) — and the fleet served at its replicas again within
 * 30 s of each warning. The server's answers take 200 ms (headers and half the body first), so a request cut when an
 * instance leaves cannot be retried by the load balancer and would show.
 */
@Tag("long")
class FleetSteadyLoadLongTest {
    private static final String NAME = "web7";
    private static final int REPLICAS = 4;
    private static final String SPEC = """
            name: web7
            kind: fleet
            replicas: 4
            requirements: {regions: [us-east-1], types: [m5.large], azs: [us-east-1a, us-east-1b]}
            placement: {strategy: price-capacity-optimized, pools: 2}
            service:
              port: 8080
              healthCheck: {path: /health, interval: 5s, healthyThreshold: 2, unhealthyThreshold: 2}
              drain: 5s
            run: |
            """ + HalfAnswerServer.shell("\"$PORT\"", "  ");

    private static LocalEmulator emulator;
    private static EmulatorBackend backend;
    private static Controller controller;
    private static FisClient fis;
    private static final List<ControllerEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/haproxy")), "HAProxy (Debian package haproxy) is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is needed inside the emulated instances");
        emulator = LocalEmulator.builder().port(0).seed(12).bootDelay(Duration.ZERO).services(true).vcpuQuota(256).start();
        backend = new EmulatorBackend(emulator);
        controller = Jobs.controller(backend);
        controller.addListener(events::add);
        controller.start(Duration.ofMillis(100));
        fis = SdkClients.configure(FisClient.builder(), new ClientSettings(emulator.endpoint(), EmulatorBackend.REGION,
                        ServiceRig.credentials(emulator), ClientSettings.DEFAULT_MAX_ATTEMPTS, null))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        if (controller != null) {
            controller.cancel(NAME);
            controller.close();
        }
        if (fis != null) {
            fis.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static FleetState fleet() {
        return backend.store().workload(NAME).orElseThrow().fleet();
    }

    private static FleetPort fleets() {
        return backend.fleets().orElseThrow();
    }

    /** The group's in-service members whose target is healthy and that no warning has reached yet. */
    private static List<Member> serving(Set<String> warned) {
        FleetState f = fleet();
        if (!f.made()) {
            return List.of();
        }
        Set<String> healthy = fleets().targetHealth(f.region(), f.targetGroupArn()).stream()
                .filter(t -> t.state().equals("healthy")).map(FleetPort.TargetHealth::instanceId)
                .collect(Collectors.toSet());
        return fleets().group(f.region(), f.groupName()).orElseThrow().members().stream()
                .filter(m -> m.lifecycleState().equals("InService") && healthy.contains(m.instanceId())
                        && !warned.contains(m.instanceId()))
                .toList();
    }

    private static Set<String> warnedSoFar() {
        return warnings().stream().map(ControllerEvent::instanceId).collect(Collectors.toSet());
    }

    private static List<ControllerEvent> warnings() {
        return events.stream().filter(e -> e.workload().equals(NAME) && e.kind() == Kind.AT_RISK
                && e.message().startsWith("interruption warning")).toList();
    }

    private static boolean running(String instanceId) {
        return emulator.lookup(InstanceControl.class).orElseThrow().instances().stream()
                .anyMatch(i -> i.instanceId().equals(instanceId) && i.state().equals("running"));
    }

    private static void interrupt(int count, Optional<Member> pool) {
        CreateExperimentTemplateTargetInput.Builder target = CreateExperimentTemplateTargetInput.builder()
                .resourceType("aws:ec2:spot-instance").resourceTags(Map.of("aws:autoscaling:groupName", fleet().groupName()))
                .selectionMode("COUNT(" + count + ")");
        pool.ifPresent(p -> target.filters(
                ExperimentTemplateTargetInputFilter.builder().path("InstanceType").values(p.instanceType()).build(),
                ExperimentTemplateTargetInputFilter.builder().path("Placement.AvailabilityZone").values(p.zone()).build()));
        CreateExperimentTemplateActionInput action = CreateExperimentTemplateActionInput.builder()
                .actionId("aws:ec2:send-spot-instance-interruptions")
                .parameters(Map.of("durationBeforeInterruption", "PT2M"))
                .targets(Map.of("SpotInstances", "web")).build();
        String id = fis.createExperimentTemplate(b -> b.description("fleet steady load")
                .roleArn("arn:aws:iam::000000000000:role/spotkeeper-fis").stopConditions(s -> s.source("none"))
                .targets(Map.of("web", target.build())).actions(Map.of("interrupt", action))).experimentTemplate().id();
        fis.startExperiment(b -> b.experimentTemplateId(id));
    }

    /**
     * Waits for {@code total} warnings, then checks each new one: its detach (the replacement's launch) within 1 s
     * of the warning reaching the controller, capacity back within 30 s; and waits until the warned instances are
     * gone (the controller terminates them once drained), so that FIS's next pick by tag is a serving instance.
     */
    private static void afterWarnings(int total) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> warnings().size() >= total);
        List<ControllerEvent> all = warnings();
        List<ControllerEvent> fresh = all.subList(all.size() - (total - previous), all.size());
        // One pass detaches the warned instances one after the other, and on the emulator each detach launches its
        // replacement within the call: each detach follows its warning, or the detach before it, within 1 s.
        Map<ControllerEvent, Instant> detaches = new java.util.HashMap<>();
        for (ControllerEvent w : fresh) {
            detaches.put(w, await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> detachOf(w.instanceId()), Optional::isPresent).orElseThrow());
        }
        Instant previousStep = Instant.MIN;
        for (ControllerEvent w : fresh.stream().sorted(java.util.Comparator.comparing(detaches::get)).toList()) {
            Instant detached = detaches.get(w);
            Instant from = w.time().isAfter(previousStep) ? w.time() : previousStep;
            System.out.printf("warning on %s: detached %d ms after the warning reached the controller%n",
                    w.instanceId(), Duration.between(w.time(), detached).toMillis());
            // Each within 1 s: the detach is the first thing done for the warning, before any store write.
            assertThat(Duration.between(from, detached)).as("warning %s (or the step before) to its detach",
                    w.instanceId()).isLessThanOrEqualTo(Duration.ofSeconds(1));
            DETACH_DELAYS.add(Duration.between(from, detached));
            previousStep = detached;
        }
        Instant first = fresh.get(0).time();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> serving(warnedSoFar()).size() >= REPLICAS);
        Duration back = Duration.between(first, Instant.now());
        System.out.printf("capacity %d back %d ms after the warning%n", REPLICAS, back.toMillis());
        assertThat(back).as("capacity back after the warning").isLessThanOrEqualTo(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> fresh.stream().noneMatch(w -> running(w.instanceId())));
        previous = total;
    }

    private static int previous;
    private static final List<Duration> DETACH_DELAYS = new CopyOnWriteArrayList<>();

    private static Optional<Instant> detachOf(String instanceId) {
        return events.stream().filter(e -> e.workload().equals(NAME) && e.kind() == Kind.FLEET
                && e.message().startsWith("detached " + instanceId)).map(ControllerEvent::time).findFirst();
    }

    @Test
    void fiveInterruptionsThenTwoInOnePool_underASteadyLoad_failNoRequest_andCapacityIsBackWithin30s() throws Exception {
        controller.submit(YamlSpecs.parse(NAME + ".yaml", SPEC));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> serving(Set.of()).size() >= REPLICAS);
        FleetState f = fleet();
        URI endpoint = emulator.lookup(LoadBalancerControl.class).orElseThrow()
                .listenerEndpoint(f.loadBalancerArn(), 80).orElseThrow();

        try (SteadyLoad load = SteadyLoad.start(endpoint, 250, Duration.ofMinutes(15), Duration.ofSeconds(10))) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> load.summary().count() >= 1000);
            Instant steadyEnd = Instant.now();
            for (int i = 1; i <= 5; i++) {
                interrupt(1, Optional.empty());
                afterWarnings(i);
            }
            Member pool = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> twoInOnePool(serving(warnedSoFar())), Optional::isPresent).orElseThrow();
            interrupt(2, Optional.of(pool));
            afterWarnings(7);
            assertThat(warnings().subList(5, 7)).extracting(ControllerEvent::instanceId).doesNotHaveDuplicates();
            load.stop();
            assertThat(load.awaitEnd(Duration.ofSeconds(30))).isTrue();

            LoadSummary steady = load.summary(Instant.MIN, steadyEnd);
            LoadSummary all = load.summary();
            System.out.println("steady: " + steady.line());
            System.out.println("whole run: " + all.line());
            load.failures().forEach(x -> System.out.println("failed: " + x));
            List<Duration> delays = DETACH_DELAYS.stream().sorted().toList();
            System.out.println("detach delays: " + delays);
            assertThat(delays).hasSize(7);
            assertThat(delays.get(delays.size() - 1)).as("slowest warning → detach").isLessThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(load.failures()).as(all.line()).isEmpty();
            // The rate was held: at least 90 % of 250 a second over the load's span.
            double seconds = Duration.between(load.samples().get(0).start(), steadyEnd.isAfter(Instant.now())
                    ? steadyEnd : load.samples().get(load.samples().size() - 1).start()).toMillis() / 1000.0;
            assertThat(all.count()).isGreaterThanOrEqualTo((int) (0.9 * 250 * seconds));
        }
    }

    private static Optional<Member> twoInOnePool(List<Member> members) {
        return members.stream().collect(Collectors.groupingBy(m -> m.instanceType() + " " + m.zone())).values().stream()
                .filter(l -> l.size() >= 2).map(l -> l.get(0)).findFirst();
    }
}
