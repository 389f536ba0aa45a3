package dev.spotkeeper.cli.job;

import dev.spotkeeper.cli.local.Connection;
import dev.spotkeeper.cli.local.LocalHome;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.emulator.elb.ListenerLookup;
import dev.spotkeeper.plane.PlaneSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A running local control plane, reached through the AWS adapters at its endpoint with the credentials from its
 * connection file, which also names its queue and table: connecting makes no call. Its resident controller runs the
 * jobs: commands here only read and write the store and the queue, and follow the controller's event log. The
 * plane's market is read through the signal adapters at its endpoint, and no call is made until one is asked for
 * (figures that want a pool's on-demand price, the unbilled hour of {@code cost}, and the check at submit).
 */
final class LocalPlaneBackend extends PortsBackend {
    private final Connection connection;
    private final LocalHome home;

    LocalPlaneBackend(Connection connection, LocalHome home) {
        super(PlaneSettings.emulator(URI.create(connection.endpoint()), new PlaneSettings.Keys(
                        connection.accessKeyId(), connection.secretAccessKey()), connection.region(),
                        JarPath.agentCommand())
                .withQueue(connection.queueUrl())
                .withTable(connection.table())
                .withCreateMissing(false)
                .withAccount(EmulatorBackend.ACCOUNT)
                .withReceiveWait(java.time.Duration.ofSeconds(1))
                .withMarketEnvironment(System.getenv()));
        this.connection = connection;
        this.home = home;
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

    @Override
    public void prepare(WorkloadSpec spec) {
        EmulatorBackend.createBuckets(ports, spec);
    }

    /**
     * The loopback URL the plane's emulator serves the load balancer's port 80 on, asked of it at its endpoint (the
     * DNS name names no port); the DNS name's URL when it does not say.
     */
    @Override
    public String loadBalancerUrl(String loadBalancerArn, String dnsName) {
        return ListenerLookup.listenerUrl(URI.create(connection.endpoint()), loadBalancerArn, 80).map(u -> u + "/")
                .orElseGet(() -> super.loadBalancerUrl(loadBalancerArn, dnsName));
    }

    @Override
    public Optional<String> defaultCheckpoints() {
        return Optional.of(EmulatorBackend.DEFAULT_CHECKPOINTS);
    }
}
