package dev.spotkeeper.controller;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.market.Architecture;
import dev.spotkeeper.core.market.InstanceType;
import dev.spotkeeper.core.market.InterruptionBand;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.Pool;
import dev.spotkeeper.core.market.PoolSignals;
import dev.spotkeeper.core.placement.Requirements;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.workload.CheckpointSpec;
import dev.spotkeeper.core.workload.RelocationSpec;
import dev.spotkeeper.core.workload.JobExtension;
import dev.spotkeeper.core.workload.Limits;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.testkit.MutableClock;
import dev.spotkeeper.testkit.cloud.InMemoryCompute;
import dev.spotkeeper.testkit.cloud.InMemoryEventQueue;
import dev.spotkeeper.testkit.cloud.InMemoryObjectStores;
import dev.spotkeeper.testkit.store.CountingStateStore;
import dev.spotkeeper.testkit.store.InMemoryStateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/** A controller over in-memory fakes, a test clock and a three-pool market, with helpers to send events. */
final class Harness {
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    static final String A = "us-east-1/us-east-1a/m5.large";
    static final String B = "us-east-1/us-east-1b/m5.large";
    static final String C = "us-east-1/us-east-1c/m5.large";
    /** The control plane's account: the events below name it. */
    static final String ACCOUNT = "123456789012";

    final MutableClock clock = new MutableClock(T0);
    final InMemoryStateStore store = new InMemoryStateStore();
    /** What the controller calls the store through: the test reads {@link #store} directly, uncounted. */
    final CountingStateStore counted = new CountingStateStore(store);
    final InMemoryCompute compute = new InMemoryCompute(clock);
    final InMemoryEventQueue queue = new InMemoryEventQueue();
    final InMemoryObjectStores objects = new InMemoryObjectStores();
    final AtomicReference<MarketSnapshot> market = new AtomicReference<>();
    final List<ControllerEvent> events = new ArrayList<>();
    private final Map<String, Double> prices = new LinkedHashMap<>();
    private final AtomicInteger eventIds = new AtomicInteger();
    final ControllerConfig config;
    Controller controller;

    Harness() {
        this("spotkeeper");
    }

    /** With the scheduling policy of that registry name. */
    Harness(String policy) {
        this(policy, c -> c);
    }

    /** With the scheduling policy of that registry name and the configuration changed by {@code tweak}. */
    Harness(String policy, UnaryOperator<ControllerConfig> tweak) {
        config = tweak.apply(ControllerConfig.defaults("ami-test", "java -jar /opt/spotkeeper.jar")
                .withScanRegions(List.of("us-east-1")).withSchedulingPolicy(policy).withAccount(ACCOUNT));
        prices.put(A, 0.030);
        prices.put(B, 0.040);
        prices.put(C, 0.050);
        publishMarket();
        controller = newController();
    }

    Controller newController() {
        Controller c = new Controller(counted, compute, queue, market::get, objects, config, clock);
        c.addListener(events::add);
        return c;
    }

    void price(String pool, double price) {
        prices.put(pool, price);
        publishMarket();
    }

    private void publishMarket() {
        List<PoolSignals> pools = new ArrayList<>();
        prices.forEach((key, price) -> {
            String[] p = key.split("/");
            InstanceType type = new InstanceType(p[2], 2, 8, 0, Architecture.ofInstanceType(p[2]));
            pools.add(new PoolSignals(new Pool(p[0], "", p[1], p[2]), type, T0, price, 0.096, 8, "test",
                    InterruptionBand.ofIndex(0)));
        });
        market.set(new MarketSnapshot("test", T0, pools));
    }

    static Builder spec(String name) {
        return new Builder(name);
    }

    /** Builds a spec; its text (what the store keeps) is unique per spec so the reader finds it again. */
    static final class Builder {
        final String name;
        Optional<Duration> maxDuration = Optional.empty();
        Optional<Double> budget = Optional.empty();
        Optional<Duration> deadline = Optional.empty();
        RelocationSpec relocation = RelocationSpec.never();
        double maxPrice = Double.POSITIVE_INFINITY;
        String bucketRegion = "";
        String setup = "";
        String checkpoints;

        Builder(String name) {
            this.name = name;
            this.checkpoints = "s3://ckpt/" + name;
        }

        Builder setup(String commands) {
            setup = commands;
            return this;
        }

        Builder checkpoints(String url) {
            checkpoints = url;
            return this;
        }

        Builder maxDuration(Duration d) {
            maxDuration = Optional.of(d);
            return this;
        }

        Builder budget(double dollars) {
            budget = Optional.of(dollars);
            return this;
        }

        Builder deadline(Duration d) {
            deadline = Optional.of(d);
            return this;
        }

        Builder relocation(Duration every, double minGain) {
            relocation = new RelocationSpec(every, minGain);
            return this;
        }

        Builder bucketRegion(String region) {
            bucketRegion = region;
            return this;
        }

        Builder maxPrice(double p) {
            maxPrice = p;
            return this;
        }

        WorkloadSpec build() {
            return new WorkloadSpec(name, Requirements.builder().maxPricePerHour(maxPrice).build(), "lowest-price",
                    new Limits(maxDuration, budget, deadline), "default",
                    new WorkloadSpec.Buckets("", "", checkpoints, bucketRegion), relocation,
                    new JobExtension(setup, "python train.py",
                            new CheckpointSpec("/tmp/ckpt", "SIGUSR1", "", Duration.ofMinutes(5))));
        }
    }

    WorkloadRecord submit(WorkloadSpec spec) {
        return controller.submit(spec);
    }

    RunSummary step() {
        return controller.runOnce();
    }

    void advance(Duration d) {
        clock.advance(d);
    }

    List<InstanceRecord> instances(String workload) {
        return store.instances(workload);
    }

    InstanceRecord instance(String id) {
        return store.instance(id).orElseThrow();
    }

    WorkloadRecord workload(String name) {
        return store.workload(name).orElseThrow();
    }

    /** The one instance of the workload that is neither terminated nor replaced. */
    InstanceRecord head(String workload) {
        List<InstanceRecord> heads = instances(workload).stream()
                .filter(r -> !r.state().isTerminal() && r.replacedBy().isEmpty()).toList();
        if (heads.size() != 1) {
            throw new AssertionError("expected one head, found " + heads);
        }
        return heads.get(0);
    }

    String warning(String instanceId) {
        return event("aws.ec2", "EC2 Spot Instance Interruption Warning",
                Map.of("instance-id", instanceId, "instance-action", "terminate"));
    }

    String rebalance(String instanceId) {
        return event("aws.ec2", "EC2 Instance Rebalance Recommendation", Map.of("instance-id", instanceId));
    }

    String stateChange(String instanceId, String state) {
        return event("aws.ec2", "EC2 Instance State-change Notification", Map.of("instance-id", instanceId, "state", state));
    }

    String report(String instanceId, String workload, String report, Map<String, String> extra) {
        Map<String, Object> detail = new LinkedHashMap<>(extra);
        detail.put("instance-id", instanceId);
        detail.put("workload", workload);
        detail.put("report", report);
        detail.putIfAbsent("sequence", String.valueOf(eventIds.get()));
        return event("spotkeeper.agent", "Spotkeeper Agent Report", detail);
    }

    String event(String source, String detailType, Map<String, ?> detail) {
        return event(source, detailType, detail, Map.of());
    }

    /** An event whose envelope fields ({@code time}, {@code account}, {@code region}, {@code resources}) may be replaced. */
    String event(String source, String detailType, Map<String, ?> detail, Map<String, Object> envelope) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("version", "0");
        e.put("id", "evt-" + eventIds.incrementAndGet());
        e.put("detail-type", detailType);
        e.put("source", source);
        e.put("account", ACCOUNT);
        e.put("time", clock.instant().toString());
        // The region of the instance the event is about, as AWS and the agent send it.
        Object id = detail.get("instance-id");
        e.put("region", id == null ? "us-east-1" : store.instance(id.toString())
                .map(r -> r.poolKey().substring(0, r.poolKey().indexOf('/'))).orElse("us-east-1"));
        e.put("resources", List.of());
        e.put("detail", detail);
        e.putAll(envelope);
        return Json.write(e);
    }

    void send(String body) {
        queue.send(body);
    }

    long count(ControllerEvent.Kind kind) {
        return events.stream().filter(e -> e.kind() == kind).count();
    }
}
