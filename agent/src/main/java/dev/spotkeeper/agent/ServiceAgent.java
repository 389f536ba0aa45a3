package dev.spotkeeper.agent;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.agent.database.DatabaseRuntime;
import dev.spotkeeper.agent.database.DatabaseSecrets;
import dev.spotkeeper.agent.database.MariaDbServer;
import dev.spotkeeper.agent.imds.ImdsClient;
import dev.spotkeeper.agent.imds.ImdsWatcher;
import dev.spotkeeper.agent.imds.InstanceIdentity;
import dev.spotkeeper.agent.imds.InstanceSignal;
import dev.spotkeeper.agent.database.CountingStore;
import dev.spotkeeper.agent.report.AgentReporter;
import dev.spotkeeper.agent.report.QueuedReportSink;
import dev.spotkeeper.agent.report.ReportSink;
import dev.spotkeeper.agent.report.SqsReportSink;
import dev.spotkeeper.agent.s3.S3Location;
import dev.spotkeeper.awsclient.ClientSettings;
import dev.spotkeeper.awsclient.SecretsManagerStore;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import dev.spotkeeper.core.cloud.SecretStorePort;
import dev.spotkeeper.core.workload.AgentSpec;
import dev.spotkeeper.core.workload.ServiceExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent of a service's instance: fetches the source (where {@code database.init} is), brings the database up
 * ({@link DatabaseRuntime}: first start, restart or restore), reports {@code started} once it answers, then ships
 * the binary log every {@code backup.ship} (and a base every {@code backup.base}) until the instance ends. On the
 * interruption warning it ships at once; on shutdown it ships the last log and stops the server cleanly.
 */
public final class ServiceAgent {
    private static final Logger LOG = Logger.getLogger(ServiceAgent.class.getName());
    private static final Duration REPORT_DRAIN = Duration.ofSeconds(30);
    /** The exit code of a replacement whose take-over was abandoned (reported {@code abandoned}, not failed). */
    public static final int ABANDONED = 3;
    /** How often a serving primary reports the bytes it uploaded to its backup (and at the hand-over, at the end). */
    static final Duration SHIPPED_EVERY = Duration.ofMinutes(10);

    /**
     * @param port the database's port; 0 picks a free loopback port (one server per emulated instance)
     * @param bindAddress the address the server listens on; blank leaves it to where the instance runs
     *     ({@link #onInstancePort})
     */
    public record Settings(AgentSpec spec, Path workDir, Optional<String> queueUrl, Optional<String> instanceId,
                           boolean watchImds, int port, String bindAddress) {
        public Settings {
            requireNonNull(spec, "spec is null");
            requireNonNull(workDir, "workDir is null");
            requireNonNull(queueUrl, "queueUrl is null");
            requireNonNull(instanceId, "instanceId is null");
            requireNonNull(bindAddress, "bindAddress is null");
            if (!(spec.work() instanceof ServiceExtension)) {
                throw new IllegalArgumentException("not a service's agent spec");
            }
        }
    }

    private ServiceAgent() {
    }

    /** Runs until the process is asked to end (SIGTERM, the instance shutting down). */
    public static int run(Settings s, Map<String, String> env, Clock clock) {
        CompletableFuture<Void> stop = new CompletableFuture<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.complete(null);
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "service-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(s, env, clock, stop);
        } finally {
            stopped.countDown();
        }
    }

    /**
     * Runs until {@code stop} completes: then ships the last log and stops the server cleanly.
     *
     * @return 0 once stopped
     */
    public static int run(Settings s, Map<String, String> env, Clock clock, CompletableFuture<Void> stop) {
        AgentSpec spec = s.spec();
        ServiceExtension service = (ServiceExtension) spec.work();
        String ckpt = spec.buckets().checkpoints();
        if (ckpt.isBlank()) {
            throw SpotkeeperException.invalidArgument("a service needs buckets.checkpoints, where its backups go");
        }
        S3Location at = S3Location.parse(ckpt).child(spec.workload()).child("db");
        ImdsClient imds = ImdsClient.fromEnvironment(env, clock);
        Optional<InstanceIdentity> identity = s.watchImds() ? Optional.of(InstanceIdentity.read(imds)) : Optional.empty();
        String instanceId = s.instanceId().or(() -> identity.map(InstanceIdentity::instanceId)).orElse("i-local");
        String region = identity.map(InstanceIdentity::region).orElse(env.getOrDefault("AWS_REGION", ""));
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(3);
        var target = s.queueUrl()
                .<java.util.function.Supplier<ReportSink>>map(url -> () -> new SqsReportSink(AgentClients.sqs(env), url))
                .orElse(ReportSink::none);
        try (AgentClients.Stores s3 = AgentClients.stores(env);
             SecretsManagerStore secrets = new SecretsManagerStore(ClientSettings.fromEnvironment(env));
             QueuedReportSink sink = new QueuedReportSink(target, REPORT_DRAIN)) {
            AgentReporter reporter = new AgentReporter(sink, clock, instanceId, spec.workload(), region,
                    identity.map(InstanceIdentity::account).orElse(""), UUID::randomUUID);
            Files.createDirectories(s.workDir());
            if (!spec.buckets().source().isBlank()) {
                S3Location src = S3Location.parse(spec.buckets().source());
                long bytes = Folders.download(s3.store(src.bucket(), ""), src.prefix(), s.workDir(),
                        Runnable::run);
                LOG.log(Level.INFO, "fetched {0} bytes of source from {1}", new Object[] {bytes, src});
            }
            CountingStore backupStore = new CountingStore(s3.store(at.bucket(), at.prefix()));
            Shipped shipped = new Shipped(backupStore, clock);
            DatabaseRuntime runtime = runtime(onInstancePort(s, imds), service, backupStore, secrets, clock);
            try {
                runtime.start();
            } catch (RuntimeException e) {
                runtime.close();
                if (runtime.abandoned().isPresent()) {
                    // The old primary serves on: not a failure of the service. The controller ends this instance.
                    LOG.log(Level.WARNING, "the take-over is abandoned: {0}", runtime.abandoned().get());
                    reporter.abandoned(runtime.abandoned().get());
                    return ABANDONED;
                }
                throw e;
            }
            runtime.restoreReport().ifPresentOrElse(r -> {
                List<String> refused = new ArrayList<>(r.refused());
                r.missing().ifPresent(m -> refused.add("DEGRADED: restored up to " + r.position() + "; missing "
                        + m));
                // What a restore (and a catch-up from S3) downloaded: billed when the bucket is in another region.
                reporter.restoredDatabase(r.position(), refused, backupStore.downloaded(), runtime.timings()
                        .map(DatabaseRuntime.Timings::restoreSeconds).orElse(-1.0));
            }, reporter::started);
            Duration ship = service.database().backup().ship();
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    runtime.protect();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "backup step failed (the next one retries): {0}", e.getMessage());
                }
                if (shipped.due()) {
                    shipped.report(reporter, runtime);
                }
            }, ship.toMillis(), ship.toMillis(), TimeUnit.MILLISECONDS);
            if (s.watchImds()) {
                java.util.concurrent.atomic.AtomicBoolean handedOver = new java.util.concurrent.atomic.AtomicBoolean();
                new ImdsWatcher(imds, clock, signal -> {
                    if (signal instanceof InstanceSignal.InterruptionNotice
                            || signal instanceof InstanceSignal.EvacuateTag) {
                        // The replacement restores while this one still serves; now it stops taking writes.
                        Instant deadline = signal instanceof InstanceSignal.InterruptionNotice n ? n.time()
                                : ((InstanceSignal.EvacuateTag) signal).deadline();
                        if (handedOver.compareAndSet(false, true)) {
                            // Off the watcher's thread: it keeps serving while the replacement catches up. A move
                            // abandoned leaves it serving, and a later signal (another deadline) may move it again.
                            scheduler.execute(() -> {
                                if (!handOver(runtime, reporter, clock, deadline, shipped)) {
                                    handedOver.set(false);
                                }
                            });
                        }
                    } else if (signal instanceof InstanceSignal.RebalanceNotice) {
                        shipQuietly(runtime, "on the rebalance recommendation");
                    }
                }).start(scheduler, Duration.ofSeconds(1));
            }
            try {
                stop.join();
            } finally {
                scheduler.shutdownNow();
                scheduler.awaitTermination(30, TimeUnit.SECONDS);
                shipQuietly(runtime, "before shutdown");
                shipped.report(reporter, runtime);
                runtime.close();
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** The port a service's database listens on where nothing else is said: MySQL's, as the address forwards. */
    static final int DATABASE_PORT = 3306;
    private static final String LOOPBACK = "127.0.0.1";

    /**
     * Where the server listens when the options leave it open (no {@code --db-port}, no {@code --db-bind}):
     * <ul>
     * <li>on the local emulator (IMDS has {@code spotkeeper/host-port/3306}): 127.0.0.1 on the instance's own host
     *     port for 3306, where the service's Elastic IP forwards; every emulated instance is a process of this host,
     *     so nothing else may reach it;</li>
     * <li>on EC2 (no such path, IMDS has {@code local-ipv4}): the instance's primary private address, port 3306. That
     *     is the address an Elastic IP associated with the instance is translated to, so clients reach the server
     *     through the service's endpoint; binding it rather than 0.0.0.0 keeps the server off any other interface
     *     (a container bridge, a second network interface), and the security group decides who may connect;</li>
     * <li>without IMDS: 127.0.0.1 on a free port, as before.</li>
     * </ul>
     * A port or address given on the command line is kept as given.
     */
    static Settings onInstancePort(Settings s, ImdsClient imds) {
        int port = s.port();
        String bind = s.bindAddress();
        if (s.watchImds()) {
            Optional<Integer> hostPort = imds.metadata("spotkeeper/host-port/" + DATABASE_PORT).map(String::trim)
                    .filter(v -> v.matches("\\d{1,5}")).map(Integer::parseInt).filter(p -> p > 0 && p <= 65_535);
            Optional<String> privateAddress = hostPort.isPresent() ? Optional.empty()
                    : imds.metadata("local-ipv4").map(String::trim).filter(ServiceAgent::isIpv4);
            if (hostPort.isPresent()) {
                port = port == 0 ? hostPort.get() : port;
                bind = bind.isBlank() ? LOOPBACK : bind;
            } else if (privateAddress.isPresent()) {
                port = port == 0 ? DATABASE_PORT : port;
                bind = bind.isBlank() ? privateAddress.get() : bind;
            }
        }
        bind = bind.isBlank() ? LOOPBACK : bind;
        return port == s.port() && bind.equals(s.bindAddress()) ? s
                : new Settings(s.spec(), s.workDir(), s.queueUrl(), s.instanceId(), s.watchImds(), port, bind);
    }

    private static boolean isIpv4(String text) {
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        for (String part : text.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    static DatabaseRuntime runtime(Settings s, ServiceExtension service, ObjectStore store, SecretStorePort secrets,
                                   Clock clock) {
        int port = s.port() == 0 ? MariaDbServer.freeLoopbackPort() : s.port();
        MariaDbServer server = new MariaDbServer(MariaDbServer.Binaries.find(System.getenv()),
                new MariaDbServer.Layout(s.workDir().resolve("mysql")), s.bindAddress(), port, s.spec().generation());
        return new DatabaseRuntime(s.spec().workload(), service.database(), server, store,
                new DatabaseSecrets(secrets, s.spec().workload()), s.workDir(), s.spec().generation(), clock,
                line -> LOG.info(line));
    }

    /** @return false when the move was abandoned and this primary serves on */
    private static boolean handOver(DatabaseRuntime runtime, AgentReporter reporter, Clock clock, Instant deadline,
                                    Shipped shipped) {
        long began = clock.millis();
        try {
            Optional<String> gtid = runtime.handOver(deadline);
            if (gtid.isEmpty()) {
                LOG.warning("the move is abandoned: its replacement could not take over verified; this primary"
                        + " keeps serving");
                reporter.abandoned(runtime.abandoned().orElse("the replacement could not take over verified"));
                return false;
            }
            reporter.handedOver(gtid.get(), (clock.millis() - began) / 1000.0, shipped.take());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the hand-over failed: {0}", e.getMessage());
        }
        return true;
    }

    private static void shipQuietly(DatabaseRuntime runtime, String when) {
        try {
            if (runtime.backup() != null && runtime.server().running()) {
                runtime.ship();
                LOG.log(Level.INFO, "shipped the binary log {0}", when);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "shipping {0} failed: {1}", new Object[] {when, e.getMessage()});
        }
    }

    /**
     * The bytes a primary uploaded to its backup and has not reported yet: reported every {@link #SHIPPED_EVERY}
     * when there are some, in the hand-over's {@code evacuated}, and before the agent ends.
     */
    static final class Shipped {
        private final CountingStore store;
        private final Clock clock;
        private long reported;
        private Instant last;

        Shipped(CountingStore store, Clock clock) {
            this.store = store;
            this.clock = clock;
            this.last = clock.instant();
        }

        synchronized boolean due() {
            return store.uploaded() > reported && !clock.instant().isBefore(last.plus(SHIPPED_EVERY));
        }

        /** The bytes not reported yet, from now on counted as reported. */
        synchronized long take() {
            long now = store.uploaded();
            long bytes = now - reported;
            reported = now;
            last = clock.instant();
            return bytes;
        }

        synchronized void report(AgentReporter reporter, DatabaseRuntime runtime) {
            long bytes = take();
            if (bytes > 0) {
                String position = "";
                try {
                    position = runtime.backup() == null ? "" : runtime.backup().shippedPosition();
                } catch (RuntimeException e) {
                    // the position only names the report; the bytes are what is billed
                }
                reporter.shipped(position, bytes, reported);
            }
        }
    }
}
