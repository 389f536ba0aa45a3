package dev.spotkeeper.plane;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.aws.AwsFaultInjection;
import dev.spotkeeper.aws.AwsMarket;
import dev.spotkeeper.aws.AwsPorts;
import dev.spotkeeper.aws.AwsSettings;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.core.cloud.FaultInjectionPort;
import dev.spotkeeper.core.cloud.ObjectStores;
import dev.spotkeeper.core.market.MarketPort;
import dev.spotkeeper.core.store.StateStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A control plane built from its {@link PlaneSettings}: the ports through the AWS adapters (state table, event
 * queue, EC2, S3, FIS), the live market, and the controller's configuration, made the same way for the CLI on AWS,
 * the emulator in one process, a local control plane and a serverless function. Opening it creates the queue and the
 * table when missing (unless the settings say they exist), and uploads the agent jar when the settings ask for it.
 */
public final class Plane implements AutoCloseable {
    private final PlaneSettings settings;
    private final AwsSettings aws;
    private final AwsPorts ports;
    private final String queueUrl;
    private final EventQueuePort queue;
    private final StateStore store;
    private final Clock clock;
    private final Consumer<String> warnings;
    private final ControllerConfig config;
    private final List<AwsMarket> markets = new ArrayList<>();
    private final MarketPort market;
    private final AwsMarket.Config marketConfig;
    private AwsFaultInjection faults;

    private Plane(PlaneSettings settings, Clock clock, Consumer<String> warnings, AwsMarket.Config marketConfig) {
        this.settings = settings;
        this.clock = clock;
        this.warnings = warnings;
        this.aws = awsSettings(settings);
        this.marketConfig = marketConfig != null ? marketConfig
                : settings.market() == PlaneSettings.MarketSource.EMULATOR
                        ? AwsMarket.Config.emulator(aws, List.of(settings.region()))
                        : AwsMarket.Config.aws(aws, List.of(settings.region()));
        this.ports = new AwsPorts(aws, settings.region(), clock, settings.instanceProfile(), settings.launchTemplate());
        try {
            this.queueUrl = settings.queueUrl().orElseGet(() -> settings.createMissing()
                    ? ports.ensureEventQueue(settings.queueName())
                    : missing("the event queue", "SPOTKEEPER_QUEUE_URL"));
            this.queue = ports.eventQueue(queueUrl);
            if (settings.createMissing()) {
                ports.ensureStateTable(settings.table());
            }
            this.store = ports.stateStore(settings.table());
            String account = settings.account().orElseGet(() -> accountOf(queueUrl));
            ControllerConfig c = ControllerConfig.defaults(settings.imageId(), agentCommand(account))
                    .withAgentArgs("--queue-url " + queueUrl)
                    .withScanRegions(List.of(settings.region()))
                    .withRegion(settings.region())
                    .withAccount(account)
                    .withReceiveWait(settings.receiveWait());
            if (settings.schedulingPolicy().isPresent()) {
                c = c.withSchedulingPolicy(settings.schedulingPolicy().get());
            }
            this.config = c;
            this.market = marketOn(clock);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** How the SDK reaches the cloud the settings name: the endpoint, the profile or the fixed keys. */
    public static AwsSettings awsSettings(PlaneSettings settings) {
        AwsSettings a = AwsSettings.defaults();
        if (settings.endpoint().isPresent()) {
            a = a.withEndpoint(settings.endpoint().get());
        }
        if (settings.profile().isPresent()) {
            a = a.withProfile(settings.profile().get());
        }
        if (settings.keys().isPresent()) {
            PlaneSettings.Keys k = settings.keys().get();
            a = a.withStaticKeys(k.accessKeyId(), k.secretAccessKey(), k.sessionToken().orElse(null));
        }
        return a;
    }

    /**
     * Opens the plane the settings describe.
     *
     * @param warnings where the market's warnings go (its fallback to the shipped snapshot, said once)
     */
    public static Plane open(PlaneSettings settings, Clock clock, Consumer<String> warnings) {
        return open(settings, clock, warnings, null);
    }

    /**
     * @param market where the market's signals come from, when not where the settings' endpoint is (a test points
     *     the ports at the emulator and the market somewhere of its own); null for the settings'
     */
    public static Plane open(PlaneSettings settings, Clock clock, Consumer<String> warnings, AwsMarket.Config market) {
        return new Plane(requireNonNull(settings, "settings is null"), requireNonNull(clock, "clock is null"),
                requireNonNull(warnings, "warnings is null"), market);
    }

    /** The plane that configuration describes ({@link PlaneSettings#from}), on the system clock. */
    public static Plane fromEnvironment(java.util.Map<String, String> environment, Consumer<String> warnings) {
        return open(PlaneSettings.from(environment).withMarketEnvironment(environment), Clock.systemUTC(), warnings);
    }

    public PlaneSettings settings() {
        return settings;
    }

    /** The AWS settings every adapter of this plane was made with. */
    public AwsSettings aws() {
        return aws;
    }

    public AwsPorts ports() {
        return ports;
    }

    public String queueUrl() {
        return queueUrl;
    }

    public EventQueuePort queue() {
        return queue;
    }

    public StateStore store() {
        return store;
    }

    public ComputePort compute() {
        return ports.compute();
    }

    /** The object store of a bucket, as the controller writes agent specs and reads checkpoints. */
    public ObjectStores objects() {
        return bucket -> ports.objectStore(bucket, "");
    }

    public MarketPort market() {
        return market;
    }

    public ControllerConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    /** The account: the settings', else the one the queue's URL names; empty when neither says. */
    public Optional<String> account() {
        return Optional.of(config.account()).filter(a -> !a.isEmpty());
    }

    /** A controller over this plane's ports, with its configuration. */
    public Controller controller() {
        Controller c = new Controller(store, compute(), queue, market, objects(), config, clock);
        c.useAddresses(ports.addresses());
        c.useFleets(ports.fleets());
        return c;
    }

    /**
     * A market of its own whose TTL runs on {@code on} (tests whose controller runs on a clock they move); closed
     * with this plane.
     */
    public synchronized MarketPort marketOn(Clock on) {
        AwsMarket m = new AwsMarket(marketConfig.withEnvironment(settings.marketEnvironment()), on, warnings);
        markets.add(m);
        return m;
    }

    /** FIS through the SDK; on AWS its experiments run as a role of their own, which it creates when missing. */
    public synchronized FaultInjectionPort faultInjection() {
        if (faults == null) {
            faults = settings.endpoint().isEmpty() ? AwsFaultInjection.onAws(aws, settings.region(), account())
                    : AwsFaultInjection.onEmulator(aws, settings.region(), account().orElse("000000000000"));
        }
        return faults;
    }

    private String agentCommand(String account) {
        PlaneSettings.Agent agent = settings.agent();
        if (agent instanceof PlaneSettings.Agent.Command c) {
            return c.command();
        }
        if (agent instanceof PlaneSettings.Agent.Download d) {
            return AgentDownload.command(d.url(), AgentDownload.DIRECTORY, "java");
        }
        if (agent instanceof PlaneSettings.Agent.Upload u) {
            return AgentDownload.command(upload(u, account), AgentDownload.DIRECTORY, "java");
        }
        return "java -jar " + AgentDownload.DIRECTORY + "/" + AgentDownload.AGENT_JAR;
    }

    /**
     * Puts the agent jar at {@code s3://<bucket>/agent/<sha-256>/spotkeeper-agent.jar} unless an object of its size
     * is there already (its key names its content), in a bucket made private and encrypted when missing; returns
     * its URL. Instances read it with their role.
     */
    private String upload(PlaneSettings.Agent.Upload u, String account) {
        String bucket = u.bucket().orElseGet(() -> "spotkeeper-artifacts-"
                + (account.isEmpty() ? "" : account + "-") + settings.region());
        String key = "agent/" + sha256(u.jar()) + "/" + AgentDownload.AGENT_JAR;
        ports.ensureBucket(bucket);
        ObjectStore objects = ports.objectStore(bucket, "");
        long size;
        try {
            size = Files.size(u.jar());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent jar " + u.jar(), e);
        }
        if (!objects.size(key).equals(Optional.of(size))) {
            objects.putFile(key, u.jar());
        }
        return "s3://" + bucket + "/" + key;
    }

    private static String sha256(java.nio.file.Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                d.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent jar " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The account of the control plane, read from its queue's URL ({@code https://sqs.<region>.amazonaws.com/<account>/
     * <name>}, as SQS forms it): the events about its instances must name that account, and no call is needed to
     * learn it. Empty (accounts not checked) for a URL of another form.
     */
    public static String accountOf(String queueUrl) {
        String[] path = URI.create(queueUrl).getPath().split("/");
        return path.length >= 3 && path[1].matches("\\d{12}") ? path[1] : "";
    }

    private static String missing(String what, String key) {
        throw SpotkeeperException.invalidArgument(what + " is not named and may not be created: set " + key);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (faults != null) {
                faults.close();
            }
            markets.forEach(AwsMarket::close);
        }
        ports.close();
    }
}
