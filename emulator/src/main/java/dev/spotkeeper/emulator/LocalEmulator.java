package dev.spotkeeper.emulator;

import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.emulator.ec2.Ec2Component;
import dev.spotkeeper.emulator.ec2.Ec2Settings;
import dev.spotkeeper.emulator.ec2.internal.Lifecycle;
import dev.spotkeeper.emulator.market.SpotMarket;
import dev.spotkeeper.emulator.services.ServicesComponents;
import dev.spotkeeper.emulator.services.ServicesOptions;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.InstanceControl;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The emulator with EC2 and its market, plus whatever other components are added; what
 * {@code spotkeeper emulator start} and tests start:
 * {@code LocalEmulator.builder().port(0).seed(1).bootDelay(Duration.ZERO).start()}.
 */
public final class LocalEmulator implements AutoCloseable {
    private final Emulator emulator;
    private final Ec2Component ec2;
    private final EmulatorCredentials credentials;
    private final Path workDirectory;
    private final boolean ownDirectory;

    private LocalEmulator(Emulator emulator, Ec2Component ec2, EmulatorCredentials credentials, Path workDirectory,
                          boolean ownDirectory) {
        this.emulator = emulator;
        this.ec2 = ec2;
        this.credentials = credentials;
        this.workDirectory = workDirectory;
        this.ownDirectory = ownDirectory;
    }

    public static Builder builder() {
        return new Builder();
    }

    public URI endpoint() {
        return emulator.endpoint();
    }

    public EmulatorCredentials credentials() {
        return credentials;
    }

    public Path workDirectory() {
        return workDirectory;
    }

    public SpotMarket market() {
        return ec2.market();
    }

    public InstanceControl instances() {
        return ec2.instances();
    }

    public Ec2Component ec2() {
        return ec2;
    }

    public <T> Optional<T> lookup(Class<T> type) {
        return emulator.lookup(type);
    }

    /** Ready-to-paste lines: the environment, an AWS config profile, then each component's own lines. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("export AWS_ENDPOINT_URL=" + endpoint());
        lines.add("export AWS_ACCESS_KEY_ID=" + credentials.accessKeyId());
        lines.add("export AWS_SECRET_ACCESS_KEY=" + credentials.secretAccessKey());
        lines.add("export AWS_DEFAULT_REGION=us-east-1");
        lines.add("");
        lines.add("# or, in ~/.aws/config (and the keys in ~/.aws/credentials under the same name):");
        lines.add("[profile spotkeeper-local]");
        lines.add("region = us-east-1");
        lines.add("endpoint_url = " + endpoint());
        lines.add("");
        lines.addAll(emulator.describe());
        return lines;
    }

    /**
     * Stops every component (instances first: their processes end). A work directory the emulator created itself
     * (none was given) is deleted then; one it was given is left as it is, with what the instances wrote.
     */
    @Override
    public void close() {
        emulator.close();
        if (ownDirectory) {
            WorkDirectories.delete(workDirectory);
        }
    }

    /** Settings of a local emulator; every one has a default. */
    public static final class Builder {
        private int port = 4566;
        private Clock clock = Clock.systemUTC();
        private long seed = 1;
        private double timeScale = 1;
        private Duration bootDelay = Ec2Settings.DEFAULT_BOOT_DELAY;
        private int vcpuQuota = Ec2Settings.DEFAULT_VCPU_QUOTA;
        private boolean scaleWarning;
        private boolean traces = true;
        private Duration marketStep = SpotMarket.DEFAULT_STEP;
        private MarketSnapshot market;
        private Path workDirectory;
        private boolean services;
        private boolean persistentState;
        private double scheduleRateScale = 1;
        private boolean modelInstances;
        private final List<EmulatorComponent> components = new ArrayList<>();

        /**
         * Also start S3, SQS, DynamoDB, EventBridge-style event delivery and FIS (default off: EC2 alone starts in
         * a fraction of the time, which most EC2 tests want).
         */
        public Builder services(boolean value) {
            this.services = value;
            return this;
        }

        /**
         * Keep DynamoDB's tables in the work directory too (S3's objects always are), so that an emulator started
         * later in the same directory finds them (default off: in memory, as tests want).
         */
        public Builder persistentState(boolean value) {
            this.persistentState = value;
            return this;
        }

        /**
         * EventBridge's {@code rate(...)} schedules fire this many times as often as on AWS (default 1; emulator only,
         * for tests that would otherwise wait on a one-minute schedule: 12 runs {@code rate(1 minute)} every 5 s).
         */
        public Builder scheduleRateScale(double value) {
            if (!(value >= 1) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("schedule rate scale must be at least 1: " + value);
            }
            this.scheduleRateScale = value;
            return this;
        }

        /** 0 picks a free port. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder timeScale(double value) {
            if (!(value > 0)) {
                throw new IllegalArgumentException("time scale must be positive: " + value);
            }
            this.timeScale = value;
            return this;
        }

        public Builder bootDelay(Duration value) {
            this.bootDelay = value;
            return this;
        }

        /**
         * Instances as models only (default off): they go from pending to running with no IMDS server and no
         * process, their user data not run, so that the market holds thousands of them (benchmark B6).
         */
        public Builder modelInstances(boolean value) {
            this.modelInstances = value;
            return this;
        }

        public Builder vcpuQuota(int value) {
            this.vcpuQuota = value;
            return this;
        }

        /** Shrink the two-minute warning with the time scale (default: keep it two real minutes). */
        public Builder scaleWarning(boolean value) {
            this.scaleWarning = value;
            return this;
        }

        /** Replay the shipped p3.2xlarge traces in their nine zones (default true). */
        public Builder traces(boolean value) {
            this.traces = value;
            return this;
        }

        public Builder marketStep(Duration value) {
            this.marketStep = value;
            return this;
        }

        public Builder market(MarketSnapshot value) {
            this.market = value;
            return this;
        }

        public Builder workDirectory(Path value) {
            this.workDirectory = value;
            return this;
        }

        /** Adds another component (FIS, S3, SQS, …); they start after EC2, in the order added. */
        public Builder component(EmulatorComponent value) {
            components.add(value);
            return this;
        }

        public LocalEmulator start() throws Exception {
            boolean own = workDirectory == null;
            Path dir = own ? Files.createTempDirectory("spotkeeper-emulator-") : workDirectory;
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new IOException("cannot create the work directory " + dir + ": " + e.getMessage(), e);
            }
            EmulatorCredentials credentials = EmulatorCredentials.generate(new SecureRandom());
            Ec2Settings settings = new Ec2Settings(market != null ? market : ShippedMarket.spotLake(), traces,
                    bootDelay, vcpuQuota, scaleWarning, marketStep, credentials, modelInstances);
            Ec2Component ec2 = new Ec2Component(settings);
            List<EmulatorComponent> all = new ArrayList<>();
            all.add(ec2);
            if (services) {
                all.addAll(ServicesComponents.all(ServicesOptions.defaults().withAccountId(Lifecycle.ACCOUNT_ID)
                        .withPersistentDynamoDb(persistentState).withScheduleRateScale(scheduleRateScale)));
            }
            all.addAll(components);
            Emulator emulator;
            try {
                emulator = Emulator.start(port, clock, seed, timeScale, dir, all);
            } catch (Exception e) {
                if (own) {
                    WorkDirectories.delete(dir);
                }
                throw e;
            }
            return new LocalEmulator(emulator, ec2, credentials, dir, own);
        }
    }
}
