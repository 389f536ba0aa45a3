package dev.spotkeeper.cli.job;

import dev.spotkeeper.aws.AwsSettings;
import dev.spotkeeper.cli.local.Connection;
import dev.spotkeeper.cli.local.LocalHome;
import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.market.MarketPort;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A running local control plane, reached through the AWS adapters at its endpoint with the credentials from its
 * connection file, which also names its queue and table: connecting makes no call. Its resident controller runs the
 * jobs: commands here only read and write the store and the queue, and follow the controller's event log.
 */
final class LocalPlaneBackend extends PortsBackend {
    private final Connection connection;
    private final LocalHome home;
    private final ControllerConfig config;

    LocalPlaneBackend(Connection connection, LocalHome home) {
        super(AwsSettings.defaults().withEndpoint(java.net.URI.create(connection.endpoint()))
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        connection.accessKeyId(), connection.secretAccessKey()))), connection.region(),
                connection.queueUrl(), connection.table());
        this.connection = connection;
        this.home = home;
        this.config = ControllerConfig.defaults("ami-spotkeeper", JarPath.agentCommand())
                .withAgentArgs("--queue-url " + queueUrl)
                .withScanRegions(List.of(connection.region()))
                .withReceiveWait(Duration.ofSeconds(1));
    }

    @Override
    public String description() {
        return "the local control plane at " + connection.endpoint() + " (pid " + connection.pid() + ")";
    }

    @Override
    public boolean resident() {
        return true;
    }

    @Override
    public Optional<Path> journal() {
        return Optional.of(home.journalFile());
    }

    /**
     * Placement happens in the resident controller, next to the emulator's market; nothing here launches (a command
     * never runs a pass next to a resident controller). Empty, so that figures that would like a pool's on-demand
     * price (the unbilled hour of {@code cost}) fall back to the price paid.
     */
    @Override
    public MarketPort market() {
        return () -> EMPTY;
    }

    /** The plane's emulator offers the pools of the shipped snapshot (it is started without a market of its own). */
    @Override
    public Optional<MarketSnapshot> submitMarket() {
        return Optional.of(ShippedMarket.spotLake());
    }

    private static final MarketSnapshot EMPTY = new MarketSnapshot("none: the resident controller places",
            Instant.EPOCH, List.of());

    @Override
    public void prepare(WorkloadSpec spec) {
        EmulatorBackend.createBuckets(ports, spec);
    }

    @Override
    public Optional<String> defaultCheckpoints() {
        return Optional.of(EmulatorBackend.DEFAULT_CHECKPOINTS);
    }

    @Override
    public ControllerConfig config() {
        return config;
    }
}
