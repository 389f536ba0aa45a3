package dev.spotkeeper.cli.job;

import dev.spotkeeper.aws.AwsFaultInjection;
import dev.spotkeeper.aws.AwsMarket;
import dev.spotkeeper.aws.AwsPorts;
import dev.spotkeeper.aws.AwsSettings;
import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.core.cloud.SecretsPort;
import dev.spotkeeper.core.cloud.TopicPort;
import dev.spotkeeper.core.cloud.FaultInjectionPort;
import dev.spotkeeper.core.cloud.ObjectStores;
import dev.spotkeeper.core.store.StateStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the AWS and the emulator deployments share: the ports through the AWS adapters, with the event queue and
 * the state table created when missing. Subclasses say where the adapters point and how the controller is set up.
 */
abstract class PortsBackend implements JobBackend {
    static final String QUEUE = "spotkeeper-events";
    static final String TABLE = "spotkeeper-state";
    /** The local emulator's account, when its queue URL does not say. */
    static final String EMULATOR_ACCOUNT = "000000000000";

    final AwsPorts ports;
    final AwsSettings settings;
    final String queueUrl;
    private final EventQueuePort queue;
    private final StateStore store;
    private final Clock clock;
    private final String region;

    private AwsFaultInjection faults;
    private final List<AwsMarket> markets = new ArrayList<>();
    /** Where the market's warnings go: standard error until a command says where its own go. */
    private volatile Consumer<String> warnings = System.err::println;

    /** Creates the event queue and the state table when missing. */
    PortsBackend(AwsSettings settings, String region) {
        this.settings = settings;
        this.region = region;
        this.clock = Clock.systemUTC();
        this.ports = new AwsPorts(settings, region, clock);
        this.queueUrl = ports.ensureEventQueue(QUEUE);
        this.queue = ports.eventQueue(queueUrl);
        ports.ensureStateTable(TABLE);
        this.store = ports.stateStore(TABLE);
    }

    /** A queue and a table that exist already (the local plane made them and named them): no call at all. */
    PortsBackend(AwsSettings settings, String region, String queueUrl, String table) {
        this.settings = settings;
        this.region = region;
        this.clock = Clock.systemUTC();
        this.ports = new AwsPorts(settings, region, clock);
        this.queueUrl = queueUrl;
        this.queue = ports.eventQueue(queueUrl);
        this.store = ports.stateStore(table);
    }

    @Override
    public StateStore store() {
        return store;
    }

    @Override
    public Optional<TopicPort> topics() {
        return Optional.of(ports.topics());
    }

    /** Secrets Manager on AWS; the emulator has none. */
    @Override
    public Optional<SecretsPort> secrets() {
        return settings.endpointOverride().isPresent() ? Optional.empty() : Optional.of(ports.secrets());
    }

    @Override
    public ComputePort compute() {
        return ports.compute();
    }

    @Override
    public ObjectStores objects() {
        return bucket -> ports.objectStore(bucket, "");
    }

    @Override
    public EventQueuePort queue() {
        return queue;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** An SQS queue URL names its account: {@code https://sqs.us-east-1.amazonaws.com/123456789012/name}. */
    @Override
    public Optional<String> accountId() {
        String[] path = java.net.URI.create(queueUrl).getPath().split("/");
        return path.length > 1 && path[1].matches("\\d{12}") ? Optional.of(path[1]) : Optional.empty();
    }

    @Override
    public Optional<String> region() {
        return Optional.of(region);
    }

    @Override
    public abstract ControllerConfig config();

    @Override
    public void warnings(Consumer<String> sink) {
        this.warnings = java.util.Objects.requireNonNull(sink, "sink is null");
    }

    /** A live market from the signals at {@code config}, closed with this backend; warnings go where it says. */
    synchronized AwsMarket liveMarket(AwsMarket.Config config, Clock on) {
        AwsMarket market = new AwsMarket(config.withEnvironment(System.getenv()), on, line -> warnings.accept(line));
        markets.add(market);
        return market;
    }

    /** FIS through the SDK; on AWS its experiments run as a role of their own, which it creates when missing. */
    @Override
    public synchronized FaultInjectionPort faultInjection() {
        if (faults == null) {
            faults = settings.endpoint() == null ? AwsFaultInjection.onAws(settings, region, accountId())
                    : AwsFaultInjection.onEmulator(settings, region, accountId().orElse(EMULATOR_ACCOUNT));
        }
        return faults;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (faults != null) {
                faults.close();
            }
            markets.forEach(AwsMarket::close);
        }
        ports.close();
    }
}
