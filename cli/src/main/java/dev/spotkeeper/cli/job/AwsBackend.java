package dev.spotkeeper.cli.job;

import dev.spotkeeper.aws.AwsMarket;
import dev.spotkeeper.aws.AwsSettings;
import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.market.MarketPort;
import dev.spotkeeper.core.market.MarketSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The AWS deployment with one controller: the ports on AWS through a profile or the standard credential chain,
 * the event queue and state table created when missing, the market from live signals in the region (the shipped
 * snapshot only as a stated fallback when they cannot be had).
 */
final class AwsBackend extends PortsBackend {
    private final ControllerConfig config;
    private final String description;
    private final AwsMarket market;

    AwsBackend(DeploymentOptions options) {
        this(AwsSettings.defaults().withProfile(options.profile()), regionOf(options), options.profile(), null);
    }

    /**
     * @param market where the market's signals come from; null for AWS's own, as the ports reach it (tests point the
     *        ports at the emulator and the market at an endpoint of their own)
     */
    AwsBackend(AwsSettings settings, String region, String profile, AwsMarket.Config market) {
        super(settings, region);
        this.market = liveMarket(market != null ? market : AwsMarket.Config.aws(settings, List.of(region)), clock());
        this.config = ControllerConfig.defaults(System.getenv().getOrDefault("SPOTKEEPER_IMAGE_ID", "resolve:ssm:"
                        + "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"),
                AgentDownload.forAws(System.getenv()))
                .withAgentArgs("--queue-url " + queueUrl)
                .withScanRegions(List.of(region))
                .withRegion(region)
                .withAccount(accountOf(queueUrl))
                .withReceiveWait(Duration.ofSeconds(5));
        this.description = "AWS" + (profile == null ? "" : " profile " + profile) + ", " + region;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public MarketPort market() {
        return market;
    }

    /** The market the controller places in: what a workload is checked against at submit. */
    @Override
    public Optional<MarketSnapshot> submitMarket() {
        return Optional.of(market.current());
    }

    @Override
    public ControllerConfig config() {
        return config;
    }

    /**
     * The account of the control plane, read from its queue's URL ({@code https://sqs.<region>.amazonaws.com/<account>/
     * <name>}, as SQS forms it): the events about its instances must name that account, and no call per command is
     * needed to learn it. Empty (accounts not checked) for a URL of another form.
     */
    static String accountOf(String queueUrl) {
        String[] path = java.net.URI.create(queueUrl).getPath().split("/");
        return path.length >= 3 && path[1].matches("\\d{12}") ? path[1] : "";
    }

    private static String regionOf(DeploymentOptions options) {
        return options.region() == null ? "us-east-1" : options.region();
    }
}
