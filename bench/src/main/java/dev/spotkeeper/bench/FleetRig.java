package dev.spotkeeper.bench;

import dev.spotkeeper.aws.AwsFleet;
import dev.spotkeeper.aws.AwsSettings;
import dev.spotkeeper.awsclient.ClientSettings;
import dev.spotkeeper.awsclient.SdkClients;
import dev.spotkeeper.cli.job.EmulatorBackend;
import dev.spotkeeper.cli.job.Jobs;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.core.store.FleetState;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import dev.spotkeeper.core.cloud.FleetPort;
import dev.spotkeeper.core.cloud.FleetPort.Fleet;
import dev.spotkeeper.core.cloud.FleetPort.GroupSpec;
import dev.spotkeeper.core.cloud.FleetPort.Member;
import dev.spotkeeper.core.cloud.FleetPort.TargetSpec;
import dev.spotkeeper.core.cloud.QueueMessage;
import dev.spotkeeper.core.event.EventParser;
import dev.spotkeeper.core.event.ParsedEvent;
import dev.spotkeeper.core.event.SpotEvent;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.spi.LoadBalancerControl;
import dev.spotkeeper.testkit.load.HalfAnswerServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.fis.FisClient;
import software.amazon.awssdk.services.fis.model.CreateExperimentTemplateActionInput;
import software.amazon.awssdk.services.fis.model.CreateExperimentTemplateTargetInput;
import software.amazon.awssdk.services.fis.model.ExperimentTemplateTargetInputFilter;

/**
 * B7's rig: the emulator with its Auto Scaling, ELB (a real HAProxy) and FIS; interruptions through the FIS API; a
 * sampler of the group and its targets every 200 ms; and what responds to the warnings. By default that is the
 * product: spotkeeper's {@code Controller} (the one the local plane runs, its {@code FleetReconciler}) reading the
 * emulator's event queue, with a {@code kind: fleet} workload submitted to it, which makes the group and its load
 * balancer and detaches each warned instance keeping the capacity (the group launches the replacement, the target
 * group drains the instance); the per-warning times are the controller's own (its journal: the warning's receipt,
 * the detach's return). With nothing acting ({@code --no-detach}), the fleet is made through {@code aws.AwsFleet}
 * and a reader of the queue only notes the warnings.
 */
final class FleetRig implements AutoCloseable {
    static final String NAME = "b7-web";
    static final String REGION = EmulatorBackend.REGION;
    static final List<String> TYPES = List.of("m5.large", "c5.large");
    static final List<String> ZONES = List.of("us-east-1a", "us-east-1b");
    /** The instances' server (testkit's {@link HalfAnswerServer}), on the port the emulator gives them for 8080. */
    static final String SERVER = HalfAnswerServer.USER_DATA;

    /**
     * A warning as the responder had it: the instance, the event's time, when it was received (read from the queue,
     * or the controller's receipt), when the detach returned.
     */
    record Warning(String instanceId, String pool, Instant time, Instant received, Optional<Instant> detached) {
    }

    /**
     * One look at the group: its in-service instances whose target is healthy (with their pool), the draining
     * targets, every member. Which of them a warning had reached by then is for the reader to say.
     */
    record Sample(Instant at, Map<String, String> healthy, int draining, Set<String> members) {
        Sample {
            healthy = Map.copyOf(healthy);
            members = Set.copyOf(members);
        }

        /** Per pool (every pool of the rig, in order), the healthy instances that are not in {@code warned}. */
        Map<String, Integer> perPool(Set<String> warned) {
            Map<String, Integer> per = new TreeMap<>();
            for (String type : TYPES) {
                for (String zone : ZONES) {
                    per.put(type + " " + zone, 0);
                }
            }
            healthy.forEach((id, pool) -> {
                if (!warned.contains(id)) {
                    per.merge(pool, 1, Integer::sum);
                }
            });
            return per;
        }

        int capacity(Set<String> warned) {
            return (int) healthy.keySet().stream().filter(id -> !warned.contains(id)).count();
        }
    }

    private final LocalEmulator emulator;
    private final EmulatorBackend backend;
    private final AwsFleet fleets;
    private final FisClient fis;
    private final boolean detachOnWarning;
    /** The responder when it is the controller (detach on the warning); null when nothing acts. */
    private Controller controller;
    private final List<ControllerEvent> events = new CopyOnWriteArrayList<>();
    private final Consumer<String> log;
    private final List<Warning> warnings = new CopyOnWriteArrayList<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Map<String, String> poolOf = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private final Thread responder = new Thread(this::respond, "b7-responder");
    private final Thread sampler = new Thread(this::sample, "b7-sampler");
    private Fleet fleet;
    private int experiments;
    private final java.util.Random random = new java.util.Random(7);

    FleetRig(Path work, boolean detachOnWarning, Consumer<String> log) throws Exception {
        this.detachOnWarning = detachOnWarning;
        this.log = log;
        emulator = LocalEmulator.builder().port(0).seed(7).bootDelay(Duration.ZERO).services(true).vcpuQuota(256)
                .workDirectory(work).start();
        backend = new EmulatorBackend(emulator);
        fleets = new AwsFleet(AwsSettings.defaults().withEndpoint(emulator.endpoint())
                .withStaticKeys(emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey()));
        fis = SdkClients.configure(FisClient.builder(), new ClientSettings(emulator.endpoint(), REGION,
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(emulator.credentials().accessKeyId(),
                                emulator.credentials().secretAccessKey())), ClientSettings.DEFAULT_MAX_ATTEMPTS, null))
                .httpClient(UrlConnectionHttpClient.create()).build();
        responder.setDaemon(true);
        sampler.setDaemon(true);
    }

    /** The workload the controller runs: the same group, pools, health check and server as the rig's own. */
    static String spec(int replicas, Duration drain) {
        return "name: " + NAME + "\n"
                + "kind: fleet\n"
                + "replicas: " + replicas + "\n"
                + "requirements: {regions: [" + REGION + "], types: [" + String.join(", ", TYPES) + "], azs: ["
                + String.join(", ", ZONES) + "]}\n"
                + "placement: {strategy: price-capacity-optimized, pools: " + TYPES.size() * ZONES.size() + "}\n"
                + "service:\n"
                + "  port: 8080\n"
                + "  healthCheck: {path: /health, interval: 5s, healthyThreshold: 2, unhealthyThreshold: 2}\n"
                + "  drain: " + drain.toSeconds() + "s\n"
                + "run: |\n" + HalfAnswerServer.shell("\"$PORT\"", "  ");
    }

    /**
     * Makes the fleet of {@code replicas} with the given deregistration delay (the controller, or the rig when nothing
     * acts), and starts the responder and sampler.
     */
    URI start(int replicas, Duration drain) {
        backend.queue().receive(10, Duration.ZERO);
        if (detachOnWarning) {
            controller = Jobs.controller(backend);
            controller.addListener(events::add);
            controller.start(Duration.ofMillis(100));
            controller.submit(YamlSpecs.parse(NAME + ".yaml", spec(replicas, drain)));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            FleetState made = FleetState.NONE;
            while (!made.made() || made.targetGroupArn().isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the controller made no group for " + NAME + " within 60 s");
                }
                // Polling the store for the controller's first pass, which makes the group.
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
                made = backend.store().workload(NAME).map(WorkloadRecord::fleet).orElse(FleetState.NONE);
            }
            fleet = new Fleet(made.groupName(), made.targetGroupArn(), made.loadBalancerArn(), made.listenerArn(),
                    made.dnsName(), made.ownLoadBalancer());
        } else {
            fleet = fleets.ensure(new GroupSpec(NAME, REGION, "ami-0e5f0a1b2c3d40001", SERVER, TYPES, ZONES, replicas,
                    replicas + 1, 0, "price-capacity-optimized", Map.of("spotkeeper:workload", NAME),
                    new TargetSpec(8080, "/health", Duration.ofSeconds(5), 2, 2, drain, 80), Duration.ofMinutes(5),
                    Optional.empty()));
            responder.start();
        }
        sampler.start();
        return emulator.lookup(LoadBalancerControl.class).orElseThrow().listenerEndpoint(fleet.loadBalancerArn(), 80)
                .orElseThrow();
    }

    private void respond() {
        while (running) {
            try {
                for (QueueMessage m : backend.queue().receive(10, Duration.ofSeconds(1))) {
                    Instant received = Instant.now();
                    backend.queue().delete(m);
                    if (EventParser.parse(m.body()) instanceof ParsedEvent.Event e
                            && e.event() instanceof SpotEvent.InterruptionWarning w && warned.add(w.instanceId())) {
                        warnings.add(new Warning(w.instanceId(), poolOf.getOrDefault(w.instanceId(), "?"), w.time(),
                                received, Optional.empty()));
                    }
                }
            } catch (RuntimeException e) {
                log.accept("responder: " + e.getMessage());
            }
        }
    }

    private void sample() {
        while (running) {
            try {
                long next = System.nanoTime() + 200_000_000L;
                samples.add(look());
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    // The sampler's period, not a wait for anything.
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            } catch (RuntimeException e) {
                log.accept("sampler: " + e.getMessage());
            }
        }
    }

    private Sample look() {
        Instant at = Instant.now();
        List<Member> members = fleets.group(REGION, NAME).map(FleetPort.Group::members).orElse(List.of());
        members.forEach(m -> poolOf.putIfAbsent(m.instanceId(), m.instanceType() + " " + m.zone()));
        Map<String, String> health = new TreeMap<>();
        fleets.targetHealth(REGION, fleet.targetGroupArn()).forEach(t -> health.put(t.instanceId(), t.state()));
        Map<String, String> healthy = new TreeMap<>();
        for (Member m : members) {
            if (m.lifecycleState().equals("InService") && "healthy".equals(health.get(m.instanceId()))) {
                healthy.put(m.instanceId(), m.instanceType() + " " + m.zone());
            }
        }
        int draining = (int) health.values().stream().filter("draining"::equals).count();
        return new Sample(at, healthy, draining,
                members.stream().map(Member::instanceId).collect(java.util.stream.Collectors.toSet()));
    }

    /** The group's in-service members with a healthy target that no warning has reached. */
    List<Member> healthyMembers() {
        warnings();
        Sample s = look();
        return fleets.group(REGION, NAME).map(FleetPort.Group::members).orElse(List.of()).stream()
                .filter(m -> m.lifecycleState().equals("InService") && s.healthy().containsKey(m.instanceId())
                        && !warned.contains(m.instanceId()))
                .toList();
    }

    /** The healthy in-service instances that no warning has reached. */
    int healthyNow() {
        warnings();
        return look().capacity(warned);
    }

    /**
     * Interrupts {@code count} of {@code candidates} through FIS ({@code COUNT(n)} over their ARNs, with filters on
     * the pool when {@code pool} is given); returns when StartExperiment has answered.
     */
    Instant interrupt(List<Member> candidates, int count, Optional<Member> pool) {
        // FIS lists at most five instances per target for this action: five of them, drawn with the rig's seed.
        List<Member> drawn = new ArrayList<>(candidates);
        Collections.shuffle(drawn, random);
        List<String> arns = new ArrayList<>();
        for (Member m : drawn.subList(0, Math.min(5, drawn.size()))) {
            arns.add("arn:aws:ec2:" + REGION + ":000000000000:instance/" + m.instanceId());
        }
        CreateExperimentTemplateTargetInput.Builder target = CreateExperimentTemplateTargetInput.builder()
                .resourceType("aws:ec2:spot-instance").resourceArns(arns).selectionMode("COUNT(" + count + ")");
        pool.ifPresent(p -> target.filters(
                ExperimentTemplateTargetInputFilter.builder().path("InstanceType").values(p.instanceType()).build(),
                ExperimentTemplateTargetInputFilter.builder().path("Placement.AvailabilityZone").values(p.zone()).build()));
        CreateExperimentTemplateActionInput action = CreateExperimentTemplateActionInput.builder()
                .actionId("aws:ec2:send-spot-instance-interruptions")
                .parameters(Map.of("durationBeforeInterruption", "PT2M"))
                .targets(Map.of("SpotInstances", "web")).build();
        String id = fis.createExperimentTemplate(b -> b.description("spotkeeper bench fleet " + (++experiments))
                .roleArn("arn:aws:iam::000000000000:role/spotkeeper-fis").stopConditions(s -> s.source("none"))
                .targets(Map.of("web", target.build())).actions(Map.of("interrupt", action))).experimentTemplate().id();
        Instant at = Instant.now();
        fis.startExperiment(b -> b.experimentTemplateId(id));
        return at;
    }

    /**
     * The warnings so far. From the controller: its {@code AT_RISK} "interruption warning" events (dated when it
     * received them; the warning's own time is its deadline less AWS's two minutes, no later than the receipt) and its
     * {@code FLEET} "detached …" events (dated when the detach returned).
     */
    List<Warning> warnings() {
        if (controller == null) {
            return List.copyOf(warnings);
        }
        List<Warning> out = new ArrayList<>();
        for (ControllerEvent e : events) {
            if (e.workload().equals(NAME) && e.kind() == ControllerEvent.Kind.AT_RISK
                    && e.message().startsWith("interruption warning")
                    && out.stream().noneMatch(w -> w.instanceId().equals(e.instanceId()))) {
                Instant time = e.fields().deadline().map(d -> d.minus(Duration.ofMinutes(2)))
                        .filter(t -> t.isBefore(e.time())).orElse(e.time());
                Optional<Instant> detached = events.stream().filter(d -> d.workload().equals(NAME)
                        && d.kind() == ControllerEvent.Kind.FLEET && d.message().startsWith("detached " + e.instanceId()))
                        .map(ControllerEvent::time).findFirst();
                out.add(new Warning(e.instanceId(), poolOf.getOrDefault(e.instanceId(), "?"), time, e.time(), detached));
            }
        }
        out.forEach(w -> warned.add(w.instanceId()));
        return out;
    }

    /** Who answers the warnings, for the bench's first line. */
    String responder() {
        return detachOnWarning ? "spotkeeper's controller (FleetReconciler) on the emulator's event queue"
                : "nothing (a reader of the queue notes the warnings)";
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    @Override
    public void close() {
        running = false;
        if (controller != null) {
            controller.close();
        }
        try {
            responder.join(5_000);
            sampler.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fis.close();
        fleets.close();
        backend.close();
    }
}
