package dev.spotkeeper.bench;

import dev.spotkeeper.aws.AwsFleet;
import dev.spotkeeper.aws.AwsSettings;
import dev.spotkeeper.awsclient.ClientSettings;
import dev.spotkeeper.awsclient.SdkClients;
import dev.spotkeeper.cli.job.EmulatorBackend;
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
 * B7's rig: the emulator with its Auto Scaling, ELB (a real HAProxy) and FIS; a fleet made through
 * {@code aws.AwsFleet}; interruptions through the FIS API; a responder that reads the interruption warnings from
 * the event queue (EventBridge delivery to SQS) and, unless told not to, detaches the warned instance at once
 * keeping the capacity (the group launches the replacement, the target group drains the instance); and a sampler
 * of the group and its targets every 200 ms.
 */
final class FleetRig implements AutoCloseable {
    static final String NAME = "b7-web";
    static final String REGION = EmulatorBackend.REGION;
    static final List<String> TYPES = List.of("m5.large", "c5.large");
    static final List<String> ZONES = List.of("us-east-1a", "us-east-1b");
    /** The instances' server (testkit's {@link HalfAnswerServer}), on the port the emulator gives them for 8080. */
    static final String SERVER = HalfAnswerServer.USER_DATA;

    /** A warning as the responder read it: the instance, the event's time, when it was read, when the detach returned. */
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

    /** Makes the fleet of {@code replicas} with the given deregistration delay, and starts the responder and sampler. */
    URI start(int replicas, Duration drain) {
        backend.queue().receive(10, Duration.ZERO);
        fleet = fleets.ensure(new GroupSpec(NAME, REGION, "ami-0e5f0a1b2c3d40001", SERVER, TYPES, ZONES, replicas,
                replicas + 1, 0, "price-capacity-optimized", Map.of("spotkeeper:workload", NAME),
                new TargetSpec(8080, "/health", Duration.ofSeconds(5), 2, 2, drain, 80), Duration.ofMinutes(5),
                Optional.empty()));
        responder.start();
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
                        Optional<Instant> detached = Optional.empty();
                        if (detachOnWarning) {
                            fleets.detach(REGION, NAME, w.instanceId());
                            detached = Optional.of(Instant.now());
                        }
                        warnings.add(new Warning(w.instanceId(), poolOf.getOrDefault(w.instanceId(), "?"), w.time(),
                                received, detached));
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
        Sample s = look();
        return fleets.group(REGION, NAME).map(FleetPort.Group::members).orElse(List.of()).stream()
                .filter(m -> m.lifecycleState().equals("InService") && s.healthy().containsKey(m.instanceId())
                        && !warned.contains(m.instanceId()))
                .toList();
    }

    /** The healthy in-service instances that no warning has reached. */
    int healthyNow() {
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

    List<Warning> warnings() {
        return List.copyOf(warnings);
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    @Override
    public void close() {
        running = false;
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
