package dev.spotkeeper.cli.job;

import dev.spotkeeper.aws.AwsPorts;
import dev.spotkeeper.aws.AwsSettings;
import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.core.store.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The AWS deployment with one controller: the ports on AWS through a profile or the standard credential chain,
 * the event queue and state table created when missing.
 */
final class AwsBackend implements JobBackend {
    private final AwsPorts ports;
    private final EventQueuePort queue;
    private final StateStore store;
    private final ControllerConfig config;
    private final String description;
    private final MarketSnapshot market = ShippedMarket.spotLake();
    private final Clock clock = Clock.systemUTC();

    AwsBackend(DeploymentOptions options) {
        String region = options.region() == null ? "us-east-1" : options.region();
        this.ports = new AwsPorts(AwsSettings.defaults().withProfile(options.profile()), region, clock);
        String queueUrl = ports.ensureEventQueue(EmulatorBackend.QUEUE);
        this.queue = ports.eventQueue(queueUrl);
        ports.ensureStateTable(EmulatorBackend.TABLE);
        this.store = ports.stateStore(EmulatorBackend.TABLE);
        this.config = ControllerConfig.defaults(System.getenv().getOrDefault("SPOTKEEPER_IMAGE_ID", "resolve:ssm:"
                        + "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"),
                "java -jar /opt/spotkeeper/spotkeeper.jar")
                .withAgentArgs("--queue-url " + queueUrl)
                .withScanRegions(List.of(region))
                .withReceiveWait(Duration.ofSeconds(5));
        this.description = "AWS" + (options.profile() == null ? "" : " profile " + options.profile()) + ", " + region;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public StateStore store() {
        return store;
    }

    @Override
    public ComputePort compute() {
        return ports.compute();
    }

    @Override
    public EventQueuePort queue() {
        return queue;
    }

    @Override
    public Supplier<MarketSnapshot> market() {
        return () -> market;
    }

    @Override
    public ControllerConfig config() {
        return config;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void close() {
        ports.close();
    }
}
