package dev.spotkeeper.cli.job;

import static org.awaitility.Awaitility.await;

import dev.spotkeeper.aws.AwsPorts;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.controller.RunSummary;
import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.core.cloud.QueueMessage;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.market.PoolView;
import dev.spotkeeper.emulator.spi.InstanceControl.InstanceView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * One controller for one workload on the shared emulator, driven pass by pass from the test thread: its own clock
 * (the wall clock, or the wall clock plus an offset the test moves forward), a chosen agent command, its own state
 * table (so a pass reads nothing of the other tests' workloads), the real event queue seen through a wrapper that
 * remembers which messages the controller deleted (so a test knows a message was read before it sends the next),
 * and the sums of every pass's {@link RunSummary}.
 */
final class RulesRig implements AutoCloseable {
    /** What user data starts instead of the agent when the test plays the agent's reports itself. */
    static final String STAND_IN_AGENT = "sleep 600 #";

    final String name;
    final EmulatorBackend backend;
    final LocalEmulator emulator;
    final SkewedClock clock = new SkewedClock();
    final WatchedQueue queue;
    final StateStore store;
    final Controller controller;
    private final AtomicInteger eventIds = new AtomicInteger();
    private int duplicates;
    private int malformed;

    /** @param ports AWS adapters on the emulator, where the workload's own state table is made */
    RulesRig(String name, EmulatorBackend backend, LocalEmulator emulator, AwsPorts ports, String agentCommand) {
        this.name = name;
        this.backend = backend;
        this.emulator = emulator;
        this.queue = new WatchedQueue(backend.queue());
        ports.ensureStateTable("spotkeeper-" + name);
        this.store = ports.stateStore("spotkeeper-" + name);
        ControllerConfig c = backend.config();
        // No long polling: the test runs many passes and a pass must not sit waiting on an empty queue.
        ControllerConfig config = new ControllerConfig(c.imageId(), agentCommand, c.agentArgs(), c.evacuationWindow(),
                c.evacuationGrace(), c.restartOverhead(), c.scanRegions(), Duration.ZERO, c.eventBatch(),
                c.agentStartTimeout(), c.schedulingPolicy(), c.region(), c.dataPrices(), c.account());
        this.controller = new Controller(store, backend.compute(), queue, backend.marketOn(clock), backend.objects(),
                config, clock);
    }

    void submit(String specText) {
        WorkloadSpec spec = YamlSpecs.parse(name + ".yaml", specText);
        backend.prepare(spec);
        controller.submit(spec);
    }

    /** One controller pass; its counts are added up. */
    RunSummary pass() {
        RunSummary s = controller.runOnce();
        duplicates += s.duplicates();
        malformed += s.malformed();
        return s;
    }

    /** Runs passes until the condition holds (at most {@code seconds} of real time); none when it already does. */
    void passUntil(String what, int seconds, BooleanSupplier condition) {
        if (condition.getAsBoolean()) {
            return;
        }
        await(what).atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100)).until(() -> {
            pass();
            return condition.getAsBoolean();
        });
    }

    int duplicates() {
        return duplicates;
    }

    int malformed() {
        return malformed;
    }

    /** Puts the message on the real queue and runs passes until the controller has read and deleted it. */
    void deliver(String body) {
        backend.queue().send(body);
        passUntil("the controller to read " + body, 30, () -> queue.deleted(body));
    }

    /** The first instance, launched and (with the stand-in agent) reported started as its agent would. */
    String launchFirst(boolean standIn) {
        passUntil("the first launch", 60, () -> instances().size() == 1);
        String id = instances().get(0).instanceId();
        if (standIn) {
            deliver(report(id, "started", 1, Map.of()));
        }
        passUntil("the agent of " + id + " to report", 90, () -> state(id) == InstanceState.RUNNING);
        return id;
    }

    /** Cancels the workload unless it ended, then runs passes until none of its instances runs. */
    void finish() {
        if (!workload().status().isTerminal()) {
            controller.cancel(name);
        }
        passUntil("every instance of " + name + " to end", 60,
                () -> instances().stream().allMatch(r -> r.state().isTerminal()) && cloudLive().isEmpty());
    }

    @Override
    public void close() {
        controller.close();
    }

    WorkloadRecord workload() {
        return store.workload(name).orElseThrow();
    }

    List<InstanceRecord> instances() {
        return store.instances(name);
    }

    InstanceRecord instance(String id) {
        return store.instance(id).orElseThrow();
    }

    InstanceState state(String id) {
        return instance(id).state();
    }

    /** The instances of this workload EC2 lists and has not terminated. */
    List<CloudInstance> cloudLive() {
        return backend.compute().find(EmulatorBackend.REGION, Map.of("spotkeeper:workload", name)).stream()
                .filter(c -> !c.isGone()).toList();
    }

    /** Every instance the emulator ever launched for this workload, whatever became of it. */
    List<InstanceView> launched() {
        return emulator.instances().instances().stream()
                .filter(v -> name.equals(v.tags().get("spotkeeper:workload"))).toList();
    }

    List<ControllerEvent> events() {
        return controller.events(name);
    }

    List<ControllerEvent> events(String instanceId, ControllerEvent.Kind kind) {
        return events().stream().filter(e -> e.instanceId().equals(instanceId) && e.kind() == kind).toList();
    }

    /** True when the ledger bills the instance up to its end. */
    boolean billedToTheEnd(String instanceId) {
        Instant end = instance(instanceId).updatedAt();
        return store.ledger(name).stream().anyMatch(e -> e.instanceId().equals(instanceId) && !e.end().isBefore(end));
    }

    /** The user data the emulator ran for the instance, as EC2 received it in RunInstances. */
    String userData(String instanceId) {
        Path file = emulator.workDirectory().resolve("instances").resolve(instanceId).resolve("user-data");
        await("user data of " + instanceId).atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file));
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Holds the price of every pool of one type in the region, so only the test moves that part of the market. */
    static HeldPrices holdPrices(LocalEmulator emulator, String type, double price) {
        List<PoolView> pools = emulator.market().pools(EmulatorBackend.REGION).stream()
                .filter(p -> p.type().name().equals(type)).toList();
        pools.forEach(p -> emulator.market().forcePrice(p.region(), p.azName(), type, price));
        return new HeldPrices(emulator, pools);
    }

    /** Prices held by the test; closing hands them back to the market's model. */
    record HeldPrices(LocalEmulator emulator, List<PoolView> pools) implements AutoCloseable {
        @Override
        public void close() {
            pools.forEach(p -> emulator.market().forcePrice(p.region(), p.azName(), p.type().name(), null));
        }
    }

    /** An agent report as the agent puts it on the queue. */
    String report(String instanceId, String report, int sequence, Map<String, String> extra) {
        Map<String, Object> detail = new LinkedHashMap<>(extra);
        detail.put("instance-id", instanceId);
        detail.put("workload", name);
        detail.put("report", report);
        detail.put("sequence", String.valueOf(sequence));
        return event("spotkeeper.agent", "Spotkeeper Agent Report", clock.instant(), detail);
    }

    /** The interruption warning as EventBridge delivers it, timed {@code time}. */
    String warning(String instanceId, Instant time) {
        return event("aws.ec2", "EC2 Spot Instance Interruption Warning", time,
                Map.of("instance-id", instanceId, "instance-action", "terminate"));
    }

    private String event(String source, String detailType, Instant time, Map<String, ?> detail) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("version", "0");
        e.put("id", name + "-" + eventIds.incrementAndGet() + "-" + time.toEpochMilli());
        e.put("detail-type", detailType);
        e.put("source", source);
        e.put("account", "000000000000");
        e.put("time", time.toString());
        e.put("region", EmulatorBackend.REGION);
        e.put("resources", List.of());
        e.put("detail", detail);
        return Json.write(e);
    }

    /** The real queue, remembering the bodies of the messages the controller deleted (read and done with). */
    static final class WatchedQueue implements EventQueuePort {
        private final EventQueuePort delegate;
        private final Set<String> deleted = ConcurrentHashMap.newKeySet();

        WatchedQueue(EventQueuePort delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<QueueMessage> receive(int max, Duration wait) {
            return delegate.receive(max, wait);
        }

        @Override
        public void delete(QueueMessage message) {
            delegate.delete(message);
            deleted.add(message.body());
        }

        @Override
        public void send(String body) {
            delegate.send(body);
        }

        boolean deleted(String body) {
            return deleted.contains(body);
        }

        boolean deletedAny(Predicate<String> body) {
            return deleted.stream().anyMatch(body);
        }
    }

    /**
     * The wall clock plus an offset the test moves forward: the controller sees an hour pass in one call while the
     * emulator, its instances and their agents keep real time, and time still flows between the jumps.
     */
    static final class SkewedClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        synchronized void advance(Duration d) {
            offset = offset.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Clock.systemUTC().instant().plus(offset);
        }
    }
}
