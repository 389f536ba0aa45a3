package dev.spotkeeper.agent;

import dev.spotkeeper.agent.checkpoint.CheckpointStore;
import dev.spotkeeper.agent.checkpoint.TransferSettings;
import dev.spotkeeper.agent.imds.ImdsClient;
import dev.spotkeeper.agent.imds.ImdsStartGate;
import dev.spotkeeper.agent.imds.ImdsWatcher;
import dev.spotkeeper.agent.imds.InstanceIdentity;
import dev.spotkeeper.agent.job.JobRunner;
import dev.spotkeeper.agent.job.JobSpec;
import dev.spotkeeper.agent.report.AgentReporter;
import dev.spotkeeper.agent.report.QueuedReportSink;
import dev.spotkeeper.agent.report.ReportSink;
import dev.spotkeeper.agent.report.SqsReportSink;
import dev.spotkeeper.agent.s3.S3Location;
import dev.spotkeeper.awsclient.S3ObjectStore;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.services.s3.S3Client;

/** Wires the agent from its settings and the environment (AWS endpoint, region, credentials, IMDS endpoint). */
public final class AgentMain {
    private static final Logger LOG = Logger.getLogger(AgentMain.class.getName());
    /** How long the last reports may take to leave when the agent ends. */
    private static final Duration REPORT_DRAIN = Duration.ofSeconds(30);

    private AgentMain() {
    }

    public static int run(AgentSettings s, Map<String, String> env, Clock clock) {
        return run(s, env, clock, PowerOff.shutdown(env));
    }

    /**
     * Runs the agent. When it fails before the job started (no checkpoint location, S3 out of reach, bad settings),
     * it reports {@code failed} with the reason and ends the instance ({@code powerOff}) before the error goes on to
     * the caller: an instance whose agent cannot work must not keep billing.
     */
    static int run(AgentSettings s, Map<String, String> env, Clock clock, PowerOff powerOff) {
        AtomicReference<Agent> agent = new AtomicReference<>();
        try {
            return runAgent(s, env, clock, agent);
        } catch (RuntimeException e) {
            if (agent.get() == null || !agent.get().jobStarted()) {
                failedAtBoot(s.workload(), s.queueUrl(), s.watchImds(), env, clock, reason(e), powerOff);
            }
            throw e;
        }
    }

    private static int runAgent(AgentSettings s, Map<String, String> env, Clock clock, AtomicReference<Agent> holder) {
        if (s.run().isBlank()) {
            throw SpotkeeperException.invalidArgument("nothing to run: give --run CMD or a workload file with 'run:'");
        }
        S3Location ckpt = s.checkpoints().orElseThrow(() -> SpotkeeperException.invalidArgument(
                "no checkpoint location: give --checkpoints s3://bucket/prefix or a workload file with buckets.checkpoints"));
        // Building an SDK client costs seconds on a cold JVM: the S3 client is built while IMDS is read, and the
        // SQS client by the report sender, so the restore starts as soon as the identity is known.
        CompletableFuture<S3Client> s3Client = CompletableFuture.supplyAsync(() -> AgentClients.s3(env));
        ImdsClient imds = ImdsClient.fromEnvironment(env, clock);
        Optional<InstanceIdentity> identity = s.watchImds() ? Optional.of(InstanceIdentity.read(imds)) : Optional.empty();
        String instanceId = s.instanceId().or(() -> identity.map(InstanceIdentity::instanceId)).orElse("i-local");
        String region = identity.map(InstanceIdentity::region).orElse(env.getOrDefault("AWS_REGION", ""));
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(3);
        ExecutorService pool = Executors.newFixedThreadPool(TransferSettings.defaults().parallelism());
        Supplier<ReportSink> target = s.queueUrl()
                .<Supplier<ReportSink>>map(url -> () -> new SqsReportSink(AgentClients.sqs(env), url))
                .orElse(ReportSink::none);
        try (S3Client s3 = join(s3Client); QueuedReportSink sink = new QueuedReportSink(target, REPORT_DRAIN)) {
            Map<String, ObjectStore> stores = new ConcurrentHashMap<>();
            AgentReporter reporter = new AgentReporter(sink, clock, instanceId, s.workload(), region,
                    identity.map(InstanceIdentity::account).orElse(""), UUID::randomUUID);
            CheckpointStore checkpoints = new CheckpointStore(new S3ObjectStore(s3, ckpt.bucket()), ckpt.prefix(),
                    s.workload(), clock, pool, TransferSettings.defaults());
            JobRunner job = new JobRunner(new JobSpec(s.workload(), s.workDir(), s.checkpointDir(), s.resultsDir(),
                    s.setup(), s.run(), s.signal(), s.checkpointCommand(), Map.of()), instanceId, clock);
            StartGate gate = s.watchImds() ? new ImdsStartGate(imds, clock) : StartGate.open();
            Agent agent = new Agent(instanceId, s.checkpointDir(), s.syncInterval(), checkpoints,
                    bucket -> stores.computeIfAbsent(bucket, b -> new S3ObjectStore(s3, b)),
                    new Agent.Locations(s.source(), s.results()), job, reporter, scheduler, pool, clock, gate);
            holder.set(agent);
            if (s.watchImds()) {
                new ImdsWatcher(imds, clock, agent::onSignal).start(scheduler, Duration.ofSeconds(1));
            }
            return agent.run(s.workDir(), s.resultsDir());
        } finally {
            scheduler.shutdownNow();
            pool.shutdownNow();
        }
    }

    /**
     * The agent cannot start: says why on the console, reports {@code failed} with the reason when it knows its
     * instance and has a queue, and, on an instance (its identity read from instance metadata), ends it.
     *
     * @param onInstance false for runs outside EC2 ({@code --no-imds}): nothing to end there
     */
    public static void failedAtBoot(String workload, Optional<String> queueUrl, boolean onInstance,
                                    Map<String, String> env, Clock clock, String reason, PowerOff powerOff) {
        failedAtBoot(workload, queueUrl, onInstance, env, clock, reason, powerOff,
                url -> new SqsReportSink(AgentClients.sqs(env), url));
    }

    static void failedAtBoot(String workload, Optional<String> queueUrl, boolean onInstance, Map<String, String> env,
                             Clock clock, String reason, PowerOff powerOff, Function<String, ReportSink> sinks) {
        LOG.log(Level.SEVERE, "the agent cannot start: {0}", reason);
        Optional<InstanceIdentity> identity = Optional.empty();
        if (onInstance) {
            try {
                identity = Optional.of(InstanceIdentity.read(ImdsClient.fromEnvironment(env, clock)));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "instance metadata cannot be read either ({0}): nothing reported, nothing ended",
                        e.getMessage());
            }
        }
        if (identity.isEmpty()) {
            return;
        }
        InstanceIdentity id = identity.get();
        if (queueUrl.isPresent()) {
            ReportSink sink = null;
            try {
                sink = sinks.apply(queueUrl.get());
                new AgentReporter(sink, clock, id.instanceId(), workload, id.region(), id.account(), UUID::randomUUID)
                        .failed(reason);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the failure could not be reported: {0}", e.getMessage());
            } finally {
                if (sink instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        LOG.log(Level.FINE, "closing the report sink", e);
                    }
                }
            }
        }
        powerOff.now("the agent on " + id.instanceId() + " cannot start");
    }

    private static String reason(RuntimeException e) {
        return e instanceof SpotkeeperException ? e.getMessage() : e.toString();
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
