package dev.spotkeeper.plane;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.Durations;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a control plane is and how it runs: everything that differs between AWS, the emulator in this process, a
 * local control plane and a serverless function. Read from configuration ({@link #from(Map)}: environment variables,
 * or a file of the same keys named by {@code SPOTKEEPER_CONFIG}), or built in code by the CLI's backends. Holds no
 * secret but a static key pair, which {@link #toString()} never shows.
 *
 * @param endpoint one endpoint for every service (the emulator's, a local plane's); empty for AWS's own
 * @param region the control plane's region: its queue, its table, the market it scans
 * @param profile a named AWS profile; empty for the standard credential chain (or the static keys)
 * @param keys a fixed key pair (the emulator's generated one); empty for the profile or the chain
 * @param queueUrl the event queue's URL when it exists already (no call is made to find it)
 * @param queueName the event queue's name, created when missing, when no URL is given
 * @param table the state table's name
 * @param createMissing whether the queue and the table are created when missing
 * @param imageId the machine image instances boot from
 * @param agent how instances get and start the agent
 * @param account the control plane's account (12 digits), else read from the queue's URL
 * @param receiveWait how long one controller run waits for the first event (SQS long polling)
 * @param market where the market's signals come from
 * @param schedulingPolicy the scheduling policy's name; empty for the controller's default
 * @param marketEnvironment the market's own keys ({@code SPOTKEEPER_MARKET_TTL} and the rest), as read
 * @param instanceProfile the instance profile (name or ARN) instances are launched with: the agent's role
 * @param launchTemplate the launch template (name) every instance is launched through, as the deployed stack makes
 *     it; empty for one template per workload that the controller makes
 */
public record PlaneSettings(
        Optional<URI> endpoint,
        String region,
        Optional<String> profile,
        Optional<Keys> keys,
        Optional<String> queueUrl,
        String queueName,
        String table,
        boolean createMissing,
        String imageId,
        Agent agent,
        Optional<String> account,
        Duration receiveWait,
        MarketSource market,
        Optional<String> schedulingPolicy,
        Map<String, String> marketEnvironment,
        Optional<String> instanceProfile,
        Optional<String> launchTemplate) {

    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_QUEUE = "spotkeeper-events";
    public static final String DEFAULT_TABLE = "spotkeeper-state";
    /** Amazon Linux 2023, resolved by EC2 from the public SSM parameter at launch. */
    public static final String DEFAULT_IMAGE = "resolve:ssm:/aws/service/ami-amazon-linux-latest/"
            + "al2023-ami-kernel-default-x86_64";
    /** The variable that names a file of these keys. */
    public static final String CONFIG_FILE = "SPOTKEEPER_CONFIG";

    /** Every key read, with what it says: the reference a refused key points to. */
    static final Map<String, String> KEYS = knownKeyTexts();

    /**
     * A fixed key pair, with the session token of temporary credentials (a function's role) or empty; never printed
     * but the key id.
     */
    public record Keys(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
        public Keys {
            requireNonNull(accessKeyId, "accessKeyId is null");
            requireNonNull(secretAccessKey, "secretAccessKey is null");
            requireNonNull(sessionToken, "sessionToken is null");
        }

        /** A long-term key pair (the emulator's generated one). */
        public Keys(String accessKeyId, String secretAccessKey) {
            this(accessKeyId, secretAccessKey, Optional.empty());
        }

        @Override
        public String toString() {
            return "Keys[" + accessKeyId + ", secret hidden" + (sessionToken.isPresent() ? ", session" : "") + "]";
        }
    }

    /** Where the market's signals come from: AWS's APIs and advisor feed, or the emulator's at its endpoint. */
    public enum MarketSource { AWS, EMULATOR }

    /** How user data starts the agent on an instance. */
    public sealed interface Agent {
        /** A command as written (the emulator's instances run the jar on this machine). */
        record Command(String command) implements Agent {
            public Command {
                requireNonNull(command, "command is null");
            }
        }

        /** Downloaded at boot from {@code s3://…} or {@code https://…}. */
        record Download(String url) implements Agent {
            public Download {
                requireNonNull(url, "url is null");
            }
        }

        /**
         * This local jar, uploaded by the plane (once per content) to {@code bucket}, or to
         * {@code spotkeeper-artifacts-<account>-<region>}, and downloaded from there at boot.
         */
        record Upload(Path jar, Optional<String> bucket) implements Agent {
            public Upload {
                requireNonNull(jar, "jar is null");
                requireNonNull(bucket, "bucket is null");
            }
        }

        /** The machine image carries it at {@code /opt/spotkeeper/spotkeeper-agent.jar}. */
        record InImage() implements Agent {
        }
    }

    public PlaneSettings {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(region, "region is null");
        requireNonNull(profile, "profile is null");
        requireNonNull(keys, "keys is null");
        requireNonNull(queueUrl, "queueUrl is null");
        requireNonNull(queueName, "queueName is null");
        requireNonNull(table, "table is null");
        requireNonNull(imageId, "imageId is null");
        requireNonNull(agent, "agent is null");
        requireNonNull(account, "account is null");
        requireNonNull(receiveWait, "receiveWait is null");
        requireNonNull(market, "market is null");
        requireNonNull(schedulingPolicy, "schedulingPolicy is null");
        marketEnvironment = Map.copyOf(marketEnvironment);
        requireNonNull(instanceProfile, "instanceProfile is null");
        requireNonNull(launchTemplate, "launchTemplate is null");
        if (market == MarketSource.EMULATOR && endpoint.isEmpty()) {
            throw SpotkeeperException.invalidArgument("the emulator's market needs the emulator's endpoint: set "
                    + "SPOTKEEPER_ENDPOINT_URL");
        }
    }

    /**
     * AWS itself with the standard chain (or {@code profile}), queue and table created when missing, the agent
     * downloaded from where the environment says or else uploaded from {@code agentJar}.
     */
    public static PlaneSettings aws(String region, Optional<String> profile, Agent agent) {
        return new PlaneSettings(Optional.empty(), region, profile, Optional.empty(), Optional.empty(), DEFAULT_QUEUE,
                DEFAULT_TABLE, true, DEFAULT_IMAGE, agent, Optional.empty(), Duration.ofSeconds(5), MarketSource.AWS,
                Optional.empty(), Map.of(), Optional.empty(), Optional.empty());
    }

    /** The emulator at {@code endpoint} with its generated keys, its instances starting the agent by {@code agentCommand}. */
    public static PlaneSettings emulator(URI endpoint, Keys keys, String region, String agentCommand) {
        return new PlaneSettings(Optional.of(endpoint), region, Optional.empty(), Optional.of(keys), Optional.empty(),
                DEFAULT_QUEUE, DEFAULT_TABLE, true, "ami-spotkeeper", new Agent.Command(agentCommand),
                Optional.empty(), Duration.ofSeconds(1), MarketSource.EMULATOR, Optional.empty(), Map.of(), Optional.empty(),
                Optional.empty());
    }

    /**
     * The settings that configuration gives: the environment's keys, over those of the file that
     * {@code SPOTKEEPER_CONFIG} names. Every key is optional; without any, AWS in us-east-1 through the standard
     * chain, with the agent jar from the machine image.
     *
     * @throws SpotkeeperException (invalid argument) naming the key, and the file's line, of a value that cannot be
     *     used, or of a key in the file that is not one of these
     */
    public static PlaneSettings from(Map<String, String> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        String file = environment.get(CONFIG_FILE);
        if (file != null && !file.isBlank()) {
            values.putAll(readFile(Path.of(file.strip())));
        }
        environment.forEach((k, v) -> {
            if (KEYS.containsKey(k) && v != null && !v.isBlank()) {
                values.put(k, v.strip());
            }
        });
        PlaneSettings s = of(values);
        Optional<Keys> keys = environmentKeys(environment);
        if (keys.isPresent() && s.profile().isEmpty()) {
            s = new PlaneSettings(s.endpoint, s.region, s.profile, keys, s.queueUrl, s.queueName, s.table,
                    s.createMissing, s.imageId, s.agent, s.account, s.receiveWait, s.market, s.schedulingPolicy,
                    s.marketEnvironment, s.instanceProfile, s.launchTemplate);
        }
        return s;
    }

    /**
     * The credentials the environment itself holds ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and,
     * for a role's session, {@code AWS_SESSION_TOKEN}), as the first link of the SDK's standard chain reads them, but
     * from this map: on Lambda it is the process's environment, where the function's role's session is; in the
     * emulator's Lambda runtime, where functions share one JVM, each function's own map. A profile named by
     * {@code AWS_PROFILE} wins over them, as with the SDK. Never from a file.
     */
    static Optional<Keys> environmentKeys(Map<String, String> environment) {
        String id = environment.get("AWS_ACCESS_KEY_ID");
        String secret = environment.get("AWS_SECRET_ACCESS_KEY");
        if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        String token = environment.get("AWS_SESSION_TOKEN");
        return Optional.of(new Keys(id.strip(), secret.strip(),
                Optional.ofNullable(token).map(String::strip).filter(t -> !t.isEmpty())));
    }

    private static PlaneSettings of(Map<String, String> v) {
        Optional<URI> endpoint = opt(v, "SPOTKEEPER_ENDPOINT_URL").or(() -> opt(v, "AWS_ENDPOINT_URL"))
                .map(PlaneSettings::endpoint);
        String region = opt(v, "SPOTKEEPER_REGION").or(() -> opt(v, "AWS_REGION"))
                .or(() -> opt(v, "AWS_DEFAULT_REGION")).orElse(DEFAULT_REGION);
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
            throw SpotkeeperException.invalidArgument("the region must be an AWS region like us-east-1, was '"
                    + region + "'");
        }
        Optional<String> queueUrl = opt(v, "SPOTKEEPER_QUEUE_URL");
        queueUrl.ifPresent(u -> {
            if (!u.matches("https?://\\S+/\\S+")) {
                throw SpotkeeperException.invalidArgument("SPOTKEEPER_QUEUE_URL must be an SQS queue URL like "
                        + "https://sqs.us-east-1.amazonaws.com/123456789012/spotkeeper-events, was '" + u + "'");
            }
        });
        Optional<String> account = opt(v, "SPOTKEEPER_ACCOUNT");
        account.ifPresent(a -> {
            if (!a.matches("\\d{12}")) {
                throw SpotkeeperException.invalidArgument("SPOTKEEPER_ACCOUNT must be the 12 digits of an AWS "
                        + "account, was '" + a + "'");
            }
        });
        MarketSource market = opt(v, "SPOTKEEPER_MARKET").map(m -> switch (m) {
            case "aws" -> MarketSource.AWS;
            case "emulator" -> MarketSource.EMULATOR;
            default -> throw SpotkeeperException.invalidArgument("SPOTKEEPER_MARKET must be aws or emulator, was '"
                    + m + "'");
        }).orElse(MarketSource.AWS);
        Map<String, String> marketEnvironment = new LinkedHashMap<>();
        for (String k : List.of("SPOTKEEPER_MARKET_TTL", "SPOTKEEPER_MARKET_SCORED_TYPES", "SPOTKEEPER_ADVISOR_URL")) {
            opt(v, k).ifPresent(x -> marketEnvironment.put(k, x));
        }
        return new PlaneSettings(endpoint, region, opt(v, "AWS_PROFILE"), Optional.empty(), queueUrl,
                opt(v, "SPOTKEEPER_QUEUE").map(n -> name("SPOTKEEPER_QUEUE", n)).orElse(DEFAULT_QUEUE),
                opt(v, "SPOTKEEPER_TABLE").map(n -> name("SPOTKEEPER_TABLE", n)).orElse(DEFAULT_TABLE),
                opt(v, "SPOTKEEPER_CREATE_MISSING").map(b -> bool("SPOTKEEPER_CREATE_MISSING", b)).orElse(true),
                opt(v, "SPOTKEEPER_IMAGE_ID").orElse(DEFAULT_IMAGE), agent(v), account,
                opt(v, "SPOTKEEPER_RECEIVE_WAIT").map(d -> Durations.parse("SPOTKEEPER_RECEIVE_WAIT", d))
                        .orElse(Duration.ofSeconds(5)),
                market, opt(v, "SPOTKEEPER_SCHEDULING_POLICY"), marketEnvironment,
                opt(v, "SPOTKEEPER_INSTANCE_PROFILE").map(PlaneSettings::instanceProfile),
                opt(v, "SPOTKEEPER_LAUNCH_TEMPLATE").map(PlaneSettings::launchTemplate));
    }

    private static Agent agent(Map<String, String> v) {
        Optional<String> command = opt(v, "SPOTKEEPER_AGENT_COMMAND");
        Optional<String> url = opt(v, "SPOTKEEPER_AGENT_JAR_URL");
        Optional<String> jar = opt(v, "SPOTKEEPER_AGENT_JAR");
        long given = java.util.stream.Stream.of(command, url, jar).filter(Optional::isPresent).count();
        if (given > 1) {
            throw SpotkeeperException.invalidArgument("say one way for instances to get the agent: "
                    + "SPOTKEEPER_AGENT_COMMAND, SPOTKEEPER_AGENT_JAR_URL or SPOTKEEPER_AGENT_JAR, not several");
        }
        if (command.isPresent()) {
            return new Agent.Command(command.get());
        }
        if (url.isPresent()) {
            AgentDownload.checkUrl(url.get());
            return new Agent.Download(url.get());
        }
        if (jar.isPresent()) {
            Path p = Path.of(jar.get());
            if (!Files.isRegularFile(p)) {
                throw SpotkeeperException.invalidArgument("SPOTKEEPER_AGENT_JAR names no file: " + p);
            }
            return new Agent.Upload(p, opt(v, "SPOTKEEPER_ARTIFACTS_BUCKET"));
        }
        return new Agent.InImage();
    }

    private static Map<String, String> readFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw SpotkeeperException.invalidArgument(CONFIG_FILE + " names " + file + ", which cannot be read: "
                    + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 1) {
                throw SpotkeeperException.malformedFile(file.toString(), i + 1,
                        "expected KEY=value, like SPOTKEEPER_REGION=eu-west-1");
            }
            String key = line.substring(0, eq).strip();
            if (key.startsWith("AWS_SECRET") || key.startsWith("AWS_ACCESS_KEY") || key.equals("AWS_SESSION_TOKEN")) {
                throw SpotkeeperException.malformedFile(file.toString(), i + 1, key + " does not belong in a file:"
                        + " keep credentials in an AWS profile (AWS_PROFILE=name) or the role the plane runs as");
            }
            if (!KEYS.containsKey(key)) {
                throw SpotkeeperException.malformedFile(file.toString(), i + 1, "unknown key " + key
                        + "; known keys: " + String.join(", ", new TreeSet<>(KEYS.keySet())));
            }
            values.put(key, line.substring(eq + 1).strip());
        }
        return values;
    }

    private static Optional<String> opt(Map<String, String> v, String key) {
        return Optional.ofNullable(v.get(key)).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static URI endpoint(String text) {
        if (!text.matches("https?://[^\\s/]+(/\\S*)?")) {
            throw SpotkeeperException.invalidArgument("the endpoint must be a URL like http://127.0.0.1:4566, was '"
                    + text + "'");
        }
        return URI.create(text);
    }

    private static String instanceProfile(String value) {
        if (!value.matches("arn:aws[a-z-]*:iam::\\d{12}:instance-profile/[\\w+=,.@/-]{1,128}")
                && !value.matches("[\\w+=,.@-]{1,128}")) {
            throw SpotkeeperException.invalidArgument("SPOTKEEPER_INSTANCE_PROFILE must be an instance profile's name"
                    + " or ARN (arn:aws:iam::123456789012:instance-profile/spotkeeper-agent), was '" + value + "'");
        }
        return value;
    }

    private static String launchTemplate(String value) {
        if (!value.matches("[a-zA-Z0-9().\\-/_]{3,128}")) {
            throw SpotkeeperException.invalidArgument("SPOTKEEPER_LAUNCH_TEMPLATE must be a launch template's name (3 to"
                    + " 128 letters, digits, '(', ')', '.', '-', '/' or '_'; the stack's is spotkeeper-agent), was '"
                    + value + "'");
        }
        return value;
    }

    private static String name(String key, String value) {
        if (!value.matches("[A-Za-z0-9_.-]{3,80}")) {
            throw SpotkeeperException.invalidArgument(key + " must be 3 to 80 letters, digits, '-', '_' or '.', was '"
                    + value + "'");
        }
        return value;
    }

    private static boolean bool(String key, String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw SpotkeeperException.invalidArgument(key + " must be true or false, was '" + value + "'");
        };
    }

    private static Map<String, String> knownKeyTexts() {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("SPOTKEEPER_ENDPOINT_URL", "one endpoint for every service (the emulator's); unset for AWS");
        k.put("AWS_ENDPOINT_URL", "the same, as the AWS SDKs and CLI read it");
        k.put("SPOTKEEPER_REGION", "the control plane's region (else AWS_REGION, AWS_DEFAULT_REGION, us-east-1)");
        k.put("AWS_REGION", "the region, as the AWS SDKs read it");
        k.put("AWS_DEFAULT_REGION", "the region, as the AWS CLI reads it");
        k.put("AWS_PROFILE", "a named profile of the AWS configuration files");
        k.put("SPOTKEEPER_QUEUE_URL", "the event queue's URL, when it exists");
        k.put("SPOTKEEPER_QUEUE", "the event queue's name (spotkeeper-events)");
        k.put("SPOTKEEPER_TABLE", "the state table's name (spotkeeper-state)");
        k.put("SPOTKEEPER_CREATE_MISSING", "true (default) or false: create the queue and the table when missing");
        k.put("SPOTKEEPER_IMAGE_ID", "the machine image instances boot from (Amazon Linux 2023)");
        k.put("SPOTKEEPER_AGENT_COMMAND", "how user data starts the agent, as written");
        k.put("SPOTKEEPER_AGENT_JAR_URL", "where instances download the agent jar (s3:// or https://)");
        k.put("SPOTKEEPER_AGENT_JAR", "a local agent jar that the plane uploads for instances to download");
        k.put("SPOTKEEPER_ARTIFACTS_BUCKET", "where that upload goes (spotkeeper-artifacts-<account>-<region>)");
        k.put("SPOTKEEPER_ACCOUNT", "the control plane's account (else read from the queue's URL)");
        k.put("SPOTKEEPER_RECEIVE_WAIT", "how long one controller run waits for events (5s)");
        k.put("SPOTKEEPER_MARKET", "aws (default) or emulator: where the market's signals come from");
        k.put("SPOTKEEPER_MARKET_TTL", "how long live market signals are kept before they are asked again");
        k.put("SPOTKEEPER_MARKET_SCORED_TYPES", "the instance types placement scores are asked for");
        k.put("SPOTKEEPER_ADVISOR_URL", "where the Spot Instance Advisor feed is read");
        k.put("SPOTKEEPER_SCHEDULING_POLICY", "the scheduling policy's name (spotkeeper)");
        k.put("SPOTKEEPER_INSTANCE_PROFILE", "the instance profile (name or ARN) instances run as: the agent's role");
        k.put("SPOTKEEPER_LAUNCH_TEMPLATE", "the launch template (name) every instance is launched through (the"
                + " deployed stack's spotkeeper-agent); unset for one per workload");
        return Map.copyOf(k);
    }

    /** The keys configuration may hold. */
    public static Set<String> knownKeys() {
        return new TreeSet<>(KEYS.keySet());
    }

    /** Instances launched with this instance profile (name or ARN): the role their agent runs as. */
    public PlaneSettings withInstanceProfile(String value) {
        return new PlaneSettings(endpoint, region, profile, keys, queueUrl, queueName, table, createMissing, imageId,
                agent, account, receiveWait, market, schedulingPolicy, marketEnvironment,
                Optional.of(instanceProfile(value)), launchTemplate);
    }

    /** Every instance launched through the launch template of this name (the deployed stack's). */
    public PlaneSettings withLaunchTemplate(String value) {
        return new PlaneSettings(endpoint, region, profile, keys, queueUrl, queueName, table, createMissing, imageId,
                agent, account, receiveWait, market, schedulingPolicy, marketEnvironment, instanceProfile,
                Optional.of(launchTemplate(value)));
    }

    public PlaneSettings withQueue(String url) {
        return new PlaneSettings(endpoint, region, profile, keys, Optional.of(url), queueName, table, createMissing,
                imageId, agent, account, receiveWait, market, schedulingPolicy, marketEnvironment, instanceProfile,
                launchTemplate);
    }

    public PlaneSettings withTable(String name) {
        return new PlaneSettings(endpoint, region, profile, keys, queueUrl, queueName, name, createMissing, imageId,
                agent, account, receiveWait, market, schedulingPolicy, marketEnvironment, instanceProfile,
                launchTemplate);
    }

    public PlaneSettings withCreateMissing(boolean value) {
        return new PlaneSettings(endpoint, region, profile, keys, queueUrl, queueName, table, value, imageId, agent,
                account, receiveWait, market, schedulingPolicy, marketEnvironment, instanceProfile,
                launchTemplate);
    }

    public PlaneSettings withAccount(String value) {
        return new PlaneSettings(endpoint, region, profile, keys, queueUrl, queueName, table, createMissing, imageId,
                agent, Optional.of(value), receiveWait, market, schedulingPolicy, marketEnvironment, instanceProfile,
                launchTemplate);
    }

    public PlaneSettings withReceiveWait(Duration value) {
        return new PlaneSettings(endpoint, region, profile, keys, queueUrl, queueName, table, createMissing, imageId,
                agent, account, value, market, schedulingPolicy, marketEnvironment, instanceProfile,
                launchTemplate);
    }

    public PlaneSettings withImage(String value) {
        return new PlaneSettings(endpoint, region, profile, keys, queueUrl, queueName, table, createMissing, value,
                agent, account, receiveWait, market, schedulingPolicy, marketEnvironment, instanceProfile,
                launchTemplate);
    }

    public PlaneSettings withAgent(Agent value) {
        return new PlaneSettings(endpoint, region, profile, keys, queueUrl, queueName, table, createMissing, imageId,
                value, account, receiveWait, market, schedulingPolicy, marketEnvironment, instanceProfile,
                launchTemplate);
    }

    /** The endpoint (AWS's services, pointed at the emulator in tests) with its market, as tests set them apart. */
    public PlaneSettings withEndpoint(URI value, Keys pair) {
        return new PlaneSettings(Optional.of(value), region, profile, Optional.of(pair), queueUrl, queueName, table,
                createMissing, imageId, agent, account, receiveWait, market, schedulingPolicy, marketEnvironment,
                instanceProfile, launchTemplate);
    }

    /** These settings with the market keys of {@code environment} (its TTL, scored types, advisor feed). */
    public PlaneSettings withMarketEnvironment(Map<String, String> environment) {
        Map<String, String> m = new LinkedHashMap<>(marketEnvironment);
        for (String k : List.of("SPOTKEEPER_MARKET_TTL", "SPOTKEEPER_MARKET_SCORED_TYPES", "SPOTKEEPER_ADVISOR_URL")) {
            opt(environment, k).ifPresent(x -> m.put(k, x));
        }
        return new PlaneSettings(endpoint, region, profile, keys, queueUrl, queueName, table, createMissing, imageId,
                agent, account, receiveWait, market, schedulingPolicy, m, instanceProfile, launchTemplate);
    }
}
