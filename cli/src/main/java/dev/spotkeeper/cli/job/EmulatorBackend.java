package dev.spotkeeper.cli.job;

import dev.spotkeeper.aws.AwsSettings;
import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.MarketPort;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.Pool;
import dev.spotkeeper.core.market.PoolSignals;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.market.PoolView;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The local deployment: the emulator in this process (EC2 with instances as local processes, SQS, DynamoDB
 * Local, event delivery), reached through the same AWS adapters as AWS itself with the emulator's generated
 * credentials. In the command's own process, everything ends with the command; the local control plane
 * ({@link LocalPlaneServer}) holds one in a process of its own.
 */
final class EmulatorBackend extends PortsBackend {
    static final String REGION = "us-east-1";
    /** The bucket of the local deployment for workloads that name none; created private and encrypted. */
    static final String DEFAULT_CHECKPOINTS = "s3://spotkeeper-checkpoints";
    /** The emulator's account, as its EC2 answers, ARNs and events name it. */
    static final String ACCOUNT = "000000000000";

    private final LocalEmulator emulator;
    private final ControllerConfig config;

    EmulatorBackend(LocalEmulator emulator) {
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

    @Override
    public MarketPort market() {
        return () -> snapshot(emulator.market().pools(null), clock());
    }

    /** Every pool the emulator offers, with capacity now or not: what a workload may ever be placed in. */
    @Override
    public Optional<MarketSnapshot> submitMarket() {
        return Optional.of(snapshot(emulator.market().pools(null), clock(), true));
    }

    /** The emulator's live pools as a snapshot, keyed by AZ name as EC2 launches need. */
    static MarketSnapshot snapshot(List<PoolView> pools, Clock clock) {
        return snapshot(pools, clock, false);
    }

    private static MarketSnapshot snapshot(List<PoolView> pools, Clock clock, boolean withoutCapacityToo) {
        List<PoolSignals> out = new ArrayList<>();
        for (PoolView v : pools) {
            if (withoutCapacityToo || v.available()) {
                out.add(new PoolSignals(new Pool(v.region(), v.azId(), v.azName(), v.type().name()), v.type(),
                        clock.instant(), v.spotPrice(), v.onDemandPrice(), v.placementScore(), "",
                        v.band()));
            }
        }
        return new MarketSnapshot("emulator", clock.instant(), out);
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
