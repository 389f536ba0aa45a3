package dev.spotkeeper.agent;

import dev.spotkeeper.agent.checkpoint.CheckpointStore;
import dev.spotkeeper.agent.checkpoint.TransferSettings;
import dev.spotkeeper.agent.imds.ImdsClient;
import dev.spotkeeper.agent.imds.ImdsWatcher;
import dev.spotkeeper.agent.imds.InstanceIdentity;
import dev.spotkeeper.agent.job.JobRunner;
import dev.spotkeeper.agent.job.JobSpec;
import dev.spotkeeper.agent.report.AgentReporter;
import dev.spotkeeper.agent.report.ReportSink;
import dev.spotkeeper.agent.report.SqsReportSink;
import dev.spotkeeper.agent.s3.S3Clients;
import dev.spotkeeper.agent.s3.S3Location;
import dev.spotkeeper.agent.s3.S3ObjectStore;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Wires the agent from its settings and the environment (AWS endpoint, region, credentials, IMDS endpoint). */
public final class AgentMain {
    private AgentMain() {
    }

    public static int run(AgentSettings s, Map<String, String> env, Clock clock) {
        if (s.run().isBlank()) {
            throw SpotkeeperException.invalidArgument("nothing to run: give --run CMD or a workload file with 'run:'");
        }
        ImdsClient imds = ImdsClient.fromEnvironment(env, clock);
        Optional<InstanceIdentity> identity = s.watchImds() ? Optional.of(InstanceIdentity.read(imds)) : Optional.empty();
        String instanceId = s.instanceId().or(() -> identity.map(InstanceIdentity::instanceId)).orElse("i-local");
        String region = identity.map(InstanceIdentity::region).orElse(env.getOrDefault("AWS_REGION", ""));
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(3);
        ExecutorService pool = Executors.newFixedThreadPool(TransferSettings.defaults().parallelism());
        try (S3Client s3 = S3Clients.s3(env); SqsClient sqs = s.queueUrl().isPresent() ? S3Clients.sqs(env) : null) {
            Map<String, ObjectStore> stores = new ConcurrentHashMap<>();
            ReportSink sink = s.queueUrl().<ReportSink>map(url -> new SqsReportSink(sqs, url)).orElse(ReportSink.none());
            AgentReporter reporter = new AgentReporter(sink, clock, instanceId, s.workload(), region, UUID::randomUUID);
            S3Location ckpt = s.checkpoints().orElseThrow(() -> SpotkeeperException.invalidArgument(
                    "no checkpoint location: give --checkpoints s3://bucket/prefix or a workload file with buckets.checkpoints"));
            CheckpointStore checkpoints = new CheckpointStore(new S3ObjectStore(s3, ckpt.bucket()), ckpt.prefix(),
                    s.workload(), clock, pool, TransferSettings.defaults());
            JobRunner job = new JobRunner(new JobSpec(s.workload(), s.workDir(), s.checkpointDir(), s.resultsDir(),
                    s.setup(), s.run(), s.signal(), s.checkpointCommand(), Map.of()), instanceId, clock);
            Agent agent = new Agent(instanceId, s.checkpointDir(), s.syncInterval(), checkpoints,
                    bucket -> stores.computeIfAbsent(bucket, b -> new S3ObjectStore(s3, b)),
                    new Agent.Locations(s.source(), s.results()), job, reporter, scheduler, pool, clock);
            if (s.watchImds()) {
                new ImdsWatcher(imds, clock, agent::onSignal).start(scheduler, Duration.ofSeconds(1));
            }
            return agent.run(s.workDir(), s.resultsDir());
        } finally {
            scheduler.shutdownNow();
            pool.shutdownNow();
        }
    }
}
