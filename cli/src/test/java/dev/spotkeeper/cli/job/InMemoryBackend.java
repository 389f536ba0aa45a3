package dev.spotkeeper.cli.job;

import dev.spotkeeper.spec.yaml.YamlSpecs;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.core.cloud.LaunchRequest;
import dev.spotkeeper.core.cloud.ObjectStores;
import dev.spotkeeper.core.cloud.QueueMessage;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.market.Architecture;
import dev.spotkeeper.core.market.InstanceType;
import dev.spotkeeper.core.market.InterruptionBand;
import dev.spotkeeper.core.market.MarketPort;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.Pool;
import dev.spotkeeper.core.market.PoolSignals;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.testkit.MutableClock;
import dev.spotkeeper.testkit.cloud.InMemoryCompute;
import dev.spotkeeper.testkit.cloud.InMemoryEventQueue;
import dev.spotkeeper.testkit.cloud.InMemoryObjectStores;
import dev.spotkeeper.testkit.store.InMemoryStateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend over the testkit's in-memory fakes that outlives each command, as a real store and cloud do. With a
 * scripted agent, every launched instance reports restored, progress and a clean exit, and the clock moves on by
 * an hour per report so the ledger has something to show.
 */
final class InMemoryBackend implements JobBackend {
    static final String ACCOUNT = "000000000000";
    final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-03-01T00:00:00Z"));
    final InMemoryStateStore store = new InMemoryStateStore();
    final InMemoryCompute compute = new InMemoryCompute(clock);
    final InMemoryEventQueue queue = new InMemoryEventQueue();
    final InMemoryObjectStores objects = new InMemoryObjectStores();
    /** Receives a command made when a resident controller runs the jobs: there must be none. */
    final AtomicInteger commandReceives = new AtomicInteger();
    private final boolean scriptedAgent;
    private final Path journal;
    private final AtomicInteger ids = new AtomicInteger();
    private final MarketSnapshot market;
    /** As the local deployments have one; {@code null} plays AWS, where a workload must name its own. */
    String defaultCheckpoints = "s3://spotkeeper-checkpoints";

    InMemoryBackend(boolean scriptedAgent) {
        this(scriptedAgent, null);
    }

    /** @param journal when given, a resident controller ({@link #residentController}) runs the jobs */
    InMemoryBackend(boolean scriptedAgent, Path journal) {
        this.scriptedAgent = scriptedAgent;
        this.journal = journal;
        InstanceType t = new InstanceType("m5.large", 2, 8, 0, Architecture.ofInstanceType("m5.large"));
        this.market = new MarketSnapshot("test", clock.instant(), List.of(
                new PoolSignals(new Pool("us-east-1", "", "us-east-1a", "m5.large"), t, clock.instant(), 0.03, 0.096, 8, "t",
                        InterruptionBand.ofIndex(0)),
                new PoolSignals(new Pool("us-east-1", "", "us-east-1b", "m5.large"), t, clock.instant(), 0.04, 0.096, 8, "t",
                        InterruptionBand.ofIndex(0))));
    }

    @Override
    public String description() {
        return "in-memory test cloud";
    }

    @Override
    public StateStore store() {
        return store;
    }

    @Override
    public ComputePort compute() {
        if (!scriptedAgent) {
            return compute;
        }
        return new ComputePort() {
            @Override
            public CloudInstance launch(LaunchRequest request) {
                CloudInstance i = compute.launch(request);
                String w = request.tags().get("spotkeeper:workload");
                report(i.instanceId(), w, "restored", Map.of());
                report(i.instanceId(), w, "progress", Map.of("progress", "0.5"));
                report(i.instanceId(), w, "exited", Map.of("exitCode", "0"));
                return i;
            }

            @Override
            public List<CloudInstance> find(String region, Map<String, String> tags) {
                return compute.find(region, tags);
            }

            @Override
            public void tag(String region, String instanceId, Map<String, String> tags) {
                compute.tag(region, instanceId, tags);
            }

            @Override
            public void terminate(String region, String instanceId) {
                compute.terminate(region, instanceId);
            }

            @Override
            public String consoleOutput(String region, String instanceId) {
                return "epoch 1 loss 0.9\n";
            }
        };
    }

    void report(String instanceId, String workload, String report, Map<String, String> extra) {
        clock.advance(Duration.ofMinutes(30));
        Map<String, Object> detail = new LinkedHashMap<>(extra);
        detail.put("instance-id", instanceId);
        detail.put("workload", workload);
        detail.put("report", report);
        detail.put("sequence", String.valueOf(ids.incrementAndGet()));
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("version", "0");
        e.put("id", "evt-" + ids.get());
        e.put("detail-type", "Spotkeeper Agent Report");
        e.put("source", "spotkeeper.agent");
        e.put("time", clock.instant().toString());
        e.put("region", "us-east-1");
        e.put("resources", List.of());
        e.put("detail", detail);
        queue.send(Json.write(e));
    }

    @Override
    public EventQueuePort queue() {
        if (journal == null) {
            return queue;
        }
        return new EventQueuePort() {
            @Override
            public List<QueueMessage> receive(int max, Duration wait) {
                commandReceives.incrementAndGet();
                throw new IllegalStateException("a command ran a controller pass next to the resident controller");
            }

            @Override
            public void delete(QueueMessage message) {
                queue.delete(message);
            }

            @Override
            public void send(String body) {
                queue.send(body);
            }
        };
    }

    @Override
    public boolean resident() {
        return journal != null;
    }

    /** The fleets' groups and load balancers, as testkit's in-memory fake keeps them. */
    final dev.spotkeeper.testkit.cloud.InMemoryFleet fleets = new dev.spotkeeper.testkit.cloud.InMemoryFleet();

    @Override
    public Optional<dev.spotkeeper.core.cloud.FleetPort> fleets() {
        return Optional.of(fleets);
    }

    @Override
    public Optional<Path> journal() {
        return Optional.ofNullable(journal);
    }

    /** The controller that runs this backend's jobs when it is resident, logging to the journal file. */
    Controller residentController() {
        Controller c = new Controller(store, compute(), queue, market(), objects, config(), clock);
        c.addListener(JournalFile.appender(journal));
        return c;
    }

    @Override
    public ObjectStores objects() {
        return objects;
    }

    @Override
    public MarketPort market() {
        return () -> market;
    }

    @Override
    public Optional<MarketSnapshot> submitMarket() {
        return Optional.of(market);
    }

    @Override
    public Optional<String> accountId() {
        return Optional.of(ACCOUNT);
    }

    @Override
    public Optional<String> region() {
        return Optional.of("us-east-1");
    }

    @Override
    public Optional<String> defaultCheckpoints() {
        return Optional.ofNullable(defaultCheckpoints);
    }

    @Override
    public ControllerConfig config() {
        return ControllerConfig.defaults("ami-test", "java -jar /opt/spotkeeper.jar").withScanRegions(List.of("us-east-1"));
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void close() {
    }
}
