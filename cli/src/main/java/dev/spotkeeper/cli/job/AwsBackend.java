package dev.spotkeeper.cli.job;

import dev.spotkeeper.aws.AwsMarket;
import dev.spotkeeper.aws.StackDeployment;
import dev.spotkeeper.deploy.PlaneApp;
import dev.spotkeeper.plane.Plane;
import dev.spotkeeper.plane.PlaneSettings;
import java.nio.file.Path;
import java.util.List;
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
    /** The variables that name a plane's table or queue: set, they are used as they are, and no stack is looked for. */
    private static final List<String> NAMED = List.of("SPOTKEEPER_TABLE", "SPOTKEEPER_QUEUE", "SPOTKEEPER_QUEUE_URL");

    private final String description;
    private final boolean deployed;

    /**
     * The plane in the options' account and region: the serverless one {@code spotkeeper deploy} made when its stack
     * is there (and the environment names no table or queue of its own), else the one a resident controller runs.
     */
    static AwsBackend open(DeploymentOptions options, Map<String, String> env) {
        PlaneSettings s = settings(options, env);
        Optional<Map<String, String>> stack = NAMED.stream().anyMatch(env::containsKey) ? Optional.empty()
                : StackDeployment.outputsOf(Plane.awsSettings(s), s.region(), PlaneApp.STACK_NAME);
        return stack.map(outputs -> new AwsBackend(onStack(s, outputs), null, true))
                .orElseGet(() -> new AwsBackend(s, null, false));
    }

    /**
     * @param market where the market's signals come from; null for AWS's own, as the ports reach it (tests point the
     *        ports at the emulator and the market at an endpoint of their own)
     */
    AwsBackend(PlaneSettings settings, AwsMarket.Config market) {
        this(settings, market, false);
    }

    private AwsBackend(PlaneSettings settings, AwsMarket.Config market, boolean deployed) {
        super(settings, market);
        this.deployed = deployed;
        this.description = "AWS" + settings.profile().map(p -> " profile " + p).orElse("") + ", " + settings.region()
                + (deployed ? " (the serverless plane of stack " + PlaneApp.STACK_NAME + ")" : "");
    }

    /**
     * The settings of the deployed plane, from its stack's outputs: its table and queue (never created here), and no
     * agent upload, since its functions launch every instance with the stack's agent and launch template.
     */
    static PlaneSettings onStack(PlaneSettings s, Map<String, String> outputs) {
        for (String key : List.of("StateTableName", "EventQueueUrl")) {
            if (outputs.get(key) == null) {
                throw dev.spotkeeper.core.SpotkeeperException.invalidArgument("stack " + PlaneApp.STACK_NAME
                        + " in " + s.region() + " has no output " + key + ": deploy it again with this version"
                        + " (spotkeeper deploy), or name the table and queue with SPOTKEEPER_TABLE and"
                        + " SPOTKEEPER_QUEUE_URL");
            }
        }
        PlaneSettings on = s.withTable(outputs.get("StateTableName")).withQueue(outputs.get("EventQueueUrl"))
                .withCreateMissing(false).withAgent(new PlaneSettings.Agent.InImage());
        String template = outputs.get("AgentLaunchTemplateName");
        return template == null ? on : on.withLaunchTemplate(template);
    }

    /**
     * True on the deployed plane: its functions handle the events and run the passes, so a command runs none of its
     * own (and {@code controller} refuses to start a second one).
     */
    @Override
    public boolean resident() {
        return deployed;
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
