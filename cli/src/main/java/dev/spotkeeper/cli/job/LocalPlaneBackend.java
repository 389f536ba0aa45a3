package dev.spotkeeper.cli.job;

import dev.spotkeeper.aws.AwsMarket;
import dev.spotkeeper.aws.AwsSettings;
import dev.spotkeeper.cli.local.Connection;
import dev.spotkeeper.cli.local.LocalHome;
import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.market.MarketPort;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.nio.file.Path;
import java.time.Duration;
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
    private final MarketPort market;

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
        this.market = liveMarket(AwsMarket.Config.emulator(settings, List.of(connection.region())), clock());
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
     * The plane's market as its resident controller reads it: the signal adapters at the plane's endpoint. Nothing
     * here launches (a command never runs a pass next to a resident controller); figures that want a pool's
     * on-demand price (the unbilled hour of {@code cost}) read it here, and no call is made until one does.
     */
    @Override
    public MarketPort market() {
        return market;
    }

    /** What the resident controller places in: a workload no pool of it can take is refused at submit. */
    @Override
    public Optional<MarketSnapshot> submitMarket() {
        return Optional.of(market.current());
    }

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
