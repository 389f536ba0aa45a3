package dev.spotkeeper.cli.job;

import dev.spotkeeper.aws.AwsMarket;
import dev.spotkeeper.plane.Plane;
import dev.spotkeeper.plane.PlaneSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS deployment with one controller: the plane that configuration describes ({@link PlaneSettings#from}, the
 * environment and the file {@code SPOTKEEPER_CONFIG} names), with the command's profile and region over it. The
 * queue and the table are created when missing; the market comes from live signals in the region (the shipped
 * snapshot only as a stated fallback when they cannot be had). Instances download the agent jar: from
 * {@code SPOTKEEPER_AGENT_JAR_URL}, else the jar next to this CLI's, uploaded once per content to the artifacts
 * bucket; never the CLI's own jar.
 */
final class AwsBackend extends PortsBackend {
    private final String description;

    AwsBackend(DeploymentOptions options) {
        this(settings(options, System.getenv()), null);
    }

    /**
     * @param market where the market's signals come from; null for AWS's own, as the ports reach it (tests point the
     *        ports at the emulator and the market at an endpoint of their own)
     */
    AwsBackend(PlaneSettings settings, AwsMarket.Config market) {
        super(settings, market);
        this.description = "AWS" + settings.profile().map(p -> " profile " + p).orElse("") + ", " + settings.region();
    }

    /** Configuration, with the command's {@code --profile} and {@code --region} over it. */
    static PlaneSettings settings(DeploymentOptions options, Map<String, String> env) {
        Map<String, String> values = new java.util.HashMap<>(env);
        if (options.profile() != null) {
            values.put("AWS_PROFILE", options.profile());
        }
        if (options.region() != null) {
            values.put("SPOTKEEPER_REGION", options.region());
        }
        PlaneSettings s = PlaneSettings.from(values).withMarketEnvironment(env);
        if (s.agent() instanceof PlaneSettings.Agent.InImage) {
            Optional<Path> local = JarPath.agentJar();
            if (local.isPresent()) {
                s = s.withAgent(new PlaneSettings.Agent.Upload(local.get(), Optional.empty()));
            }
        }
        return s;
    }

    @Override
    public String description() {
        return description;
    }

    /** @see Plane#accountOf */
    static String accountOf(String queueUrl) {
        return Plane.accountOf(queueUrl);
    }
}
