package dev.spotkeeper.cli.job;

import dev.spotkeeper.aws.AwsMarket;
import dev.spotkeeper.aws.AwsPorts;
import dev.spotkeeper.aws.AwsSettings;
import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.core.cloud.SecretStorePort;
import dev.spotkeeper.core.cloud.TopicPort;
import dev.spotkeeper.core.cloud.FaultInjectionPort;
import dev.spotkeeper.core.cloud.ObjectStores;
import dev.spotkeeper.core.market.MarketPort;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.plane.Plane;
import dev.spotkeeper.plane.PlaneSettings;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the AWS, the emulator and the local plane deployments share: a {@link Plane} built from their settings (the
 * ports through the AWS adapters, the live market, the controller's configuration), made as the serverless handlers
 * make theirs. Subclasses say where the plane is.
 */
abstract class PortsBackend implements JobBackend {
    static final String QUEUE = PlaneSettings.DEFAULT_QUEUE;
    static final String TABLE = PlaneSettings.DEFAULT_TABLE;

    final Plane plane;
    final AwsPorts ports;
    final AwsSettings settings;
    final String queueUrl;
    /** Where the market's warnings go: standard error until a command says where its own go. */
    private volatile Consumer<String> warnings = System.err::println;

    PortsBackend(PlaneSettings settings) {
        this(settings, null);
    }

    /** @param market where the market's signals come from when not at the settings' endpoint; null for there */
    PortsBackend(PlaneSettings settings, AwsMarket.Config market) {
        this.plane = Plane.open(settings, Clock.systemUTC(), line -> warnings.accept(line), market);
        this.ports = plane.ports();
        this.settings = plane.aws();
        this.queueUrl = plane.queueUrl();
    }

    @Override
    public StateStore store() {
        return plane.store();
    }

    @Override
    public Optional<TopicPort> topics() {
        return Optional.of(ports.topics());
    }

    /** Secrets Manager on AWS; the emulator has none. */
    @Override
    public Optional<SecretStorePort> secrets() {
        return settings.endpointOverride().isPresent() ? Optional.empty() : Optional.of(ports.secrets());
    }

    @Override
    public Optional<dev.spotkeeper.core.cloud.AddressPort> addresses() {
        return Optional.of(ports.addresses());
    }

    @Override
    public Optional<dev.spotkeeper.core.cloud.FleetPort> fleets() {
        return Optional.of(ports.fleets());
    }

    @Override
    public Optional<SecretStorePort> databaseSecrets() {
        return Optional.of(ports.secrets());
    }

    @Override
    public ComputePort compute() {
        return plane.compute();
    }

    @Override
    public ObjectStores objects() {
        return plane.objects();
    }

    @Override
    public EventQueuePort queue() {
        return plane.queue();
    }

    @Override
    public Clock clock() {
        return plane.clock();
    }

    @Override
    public MarketPort market() {
        return plane.market();
    }

    /** The market the controller places in: what a workload is checked against at submit. */
    @Override
    public Optional<MarketSnapshot> submitMarket() {
        return Optional.of(market().current());
    }

    @Override
    public ControllerConfig config() {
        return plane.config();
    }

    @Override
    public Optional<String> accountId() {
        return plane.account();
    }

    @Override
    public Optional<String> region() {
        return Optional.of(plane.settings().region());
    }

    @Override
    public void warnings(Consumer<String> sink) {
        this.warnings = Objects.requireNonNull(sink, "sink is null");
    }

    @Override
    public FaultInjectionPort faultInjection() {
        return plane.faultInjection();
    }

    @Override
    public void close() {
        plane.close();
    }
}
