package dev.spotkeeper.cli.job;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.MarketPort;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.plane.PlaneSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The local deployment: the emulator in this process (EC2 with instances as local processes, SQS, DynamoDB
 * Local, event delivery), reached through the same AWS adapters as AWS itself with the emulator's generated
 * credentials, its market too (spot price history, placement scores and its advisor feed, as on AWS). In the
 * command's own process, everything ends with the command; the local control plane ({@link LocalPlaneServer})
 * holds one in a process of its own.
 */
public final class EmulatorBackend extends PortsBackend {
    public static final String REGION = "us-east-1";
    /** The bucket of the local deployment for workloads that name none; created private and encrypted. */
    static final String DEFAULT_CHECKPOINTS = "s3://spotkeeper-checkpoints";
    /** The emulator's account, as its EC2 answers, ARNs and events name it. */
    static final String ACCOUNT = "000000000000";

    private final LocalEmulator emulator;

    public EmulatorBackend(LocalEmulator emulator) {
        this(emulator, JarPath.agentCommand());
    }

    /** @param agentCommand how user data starts the agent (tests start a stand-in) */
    EmulatorBackend(LocalEmulator emulator, String agentCommand) {
        super(settingsFor(emulator, agentCommand));
        this.emulator = emulator;
    }

    /** The plane of the emulator at its endpoint, with its generated keys and account. */
    static PlaneSettings settingsFor(LocalEmulator emulator, String agentCommand) {
        return PlaneSettings.emulator(emulator.endpoint(), new PlaneSettings.Keys(emulator.credentials().accessKeyId(),
                        emulator.credentials().secretAccessKey()), REGION, agentCommand)
                .withAccount(ACCOUNT)
                .withReceiveWait(Duration.ofSeconds(1))
                .withMarketEnvironment(System.getenv());
    }

    static EmulatorBackend start() {
        try {
            return new EmulatorBackend(LocalEmulator.builder().port(0).seed(1).services(true).start());
        } catch (SpotkeeperException e) {
            throw e;
        } catch (Exception e) {
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "could not start the local emulator: " + e.getMessage(), e);
        }
    }

    @Override
    public String description() {
        return "the local emulator at " + emulator.endpoint();
    }

    /**
     * A market of its own on {@code clock}: its TTL runs on that clock (tests whose controller runs on a clock they
     * move); closed with this backend.
     */
    MarketPort marketOn(Clock clock) {
        return plane.marketOn(clock);
    }

    /** The loopback port the emulator's HAProxy serves the load balancer's port 80 on, else its DNS name's URL. */
    @Override
    public String loadBalancerUrl(String loadBalancerArn, String dnsName) {
        return emulator.lookup(dev.spotkeeper.emulator.spi.LoadBalancerControl.class)
                .flatMap(lb -> lb.listenerEndpoint(loadBalancerArn, 80)).map(u -> u + "/")
                .orElseGet(() -> super.loadBalancerUrl(loadBalancerArn, dnsName));
    }

    /** The emulator starts with no buckets: create those the spec names, as a user would have on AWS. */
    @Override
    public void prepare(WorkloadSpec spec) {
        createBuckets(ports, spec);
    }

    static void createBuckets(dev.spotkeeper.aws.AwsPorts ports, WorkloadSpec spec) {
        for (String url : List.of(spec.buckets().source(), spec.buckets().results(), spec.buckets().checkpoints())) {
            if (url.startsWith("s3://")) {
                String bucket = url.substring(5).split("/", 2)[0];
                if (!bucket.isEmpty()) {
                    ports.ensureBucket(bucket);
                }
            }
        }
    }

    @Override
    public Optional<String> defaultCheckpoints() {
        return Optional.of(DEFAULT_CHECKPOINTS);
    }

    @Override
    public void close() {
        super.close();
        emulator.close();
    }
}
