package dev.spotkeeper.cli.job;

import dev.spotkeeper.aws.AwsMarket;
import dev.spotkeeper.aws.AwsSettings;
import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.MarketPort;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.emulator.LocalEmulator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The local deployment: the emulator in this process (EC2 with instances as local processes, SQS, DynamoDB
 * Local, event delivery), reached through the same AWS adapters as AWS itself with the emulator's generated
 * credentials, its market too (spot price history, placement scores and its advisor feed, as on AWS). In the command's own process, everything ends with the command; the local control plane
 * ({@link LocalPlaneServer}) holds one in a process of its own.
 */
public final class EmulatorBackend extends PortsBackend {
    public static final String REGION = "us-east-1";
    /** The bucket of the local deployment for workloads that name none; created private and encrypted. */
    static final String DEFAULT_CHECKPOINTS = "s3://spotkeeper-checkpoints";
    /** The emulator's account, as its EC2 answers, ARNs and events name it. */
    static final String ACCOUNT = "000000000000";

    private final LocalEmulator emulator;
    private final ControllerConfig config;
    private final MarketPort market;

    public EmulatorBackend(LocalEmulator emulator) {
        this(emulator, JarPath.agentCommand());
    }

    /** @param agentCommand how user data starts the agent (tests start a stand-in) */
    EmulatorBackend(LocalEmulator emulator, String agentCommand) {
        super(settingsFor(emulator), REGION);
        this.emulator = emulator;
        this.config = ControllerConfig.defaults("ami-spotkeeper", agentCommand)
                .withAgentArgs("--queue-url " + queueUrl)
                .withScanRegions(List.of(REGION))
                .withRegion(REGION)
                .withAccount(ACCOUNT)
                .withReceiveWait(Duration.ofSeconds(1));
        this.market = marketOn(clock());
    }

    private static AwsSettings settingsFor(LocalEmulator emulator) {
        return AwsSettings.defaults().withEndpoint(emulator.endpoint())
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey())));
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

    /** The emulator's market as the controller sees AWS's: through the signal adapters at the emulator's endpoint. */
    @Override
    public MarketPort market() {
        return market;
    }

    /**
     * A market of its own on {@code clock}: its TTL runs on that clock (tests whose controller runs on a clock they
     * move); closed with this backend.
     */
    MarketPort marketOn(Clock clock) {
        return liveMarket(AwsMarket.Config.emulator(settings, List.of(REGION)), clock);
    }

    /** Every pool the controller's market lists, with capacity now or not: what a workload may ever be placed in. */
    @Override
    public Optional<MarketSnapshot> submitMarket() {
        return Optional.of(market.current());
    }

    /** The emulator starts with no buckets: create those the spec names, as a user would have on AWS. */
    @Override
    public void prepare(dev.spotkeeper.core.workload.WorkloadSpec spec) {
        createBuckets(ports, spec);
    }

    static void createBuckets(dev.spotkeeper.aws.AwsPorts ports, dev.spotkeeper.core.workload.WorkloadSpec spec) {
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
    public ControllerConfig config() {
        return config;
    }

    @Override
    public void close() {
        super.close();
        emulator.close();
    }
}
