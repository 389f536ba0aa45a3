package dev.spotkeeper.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.agent.checkpoint.CheckpointStore;
import dev.spotkeeper.agent.checkpoint.TransferSettings;
import dev.spotkeeper.agent.checkpoint.UploadResult;
import dev.spotkeeper.agent.imds.InstanceSignal;
import dev.spotkeeper.agent.job.JobRunner;
import dev.spotkeeper.agent.job.JobSpec;
import dev.spotkeeper.agent.report.AgentReporter;
import dev.spotkeeper.agent.report.ReportSink;
import dev.spotkeeper.agent.s3.S3Location;
import dev.spotkeeper.awsclient.S3ObjectStore;
import dev.spotkeeper.core.checkpoint.Manifest;
import dev.spotkeeper.core.checkpoint.ManifestFile;
import dev.spotkeeper.core.event.EventParser;
import dev.spotkeeper.core.event.ParsedEvent;
import dev.spotkeeper.core.event.SpotEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

class AgentTest {
    /** Traps SIGUSR1 to write its state and touch the ready marker; runs until a file named stop appears. */
    private static final String JOB = String.join("\n",
            "trap 'echo \"step $n\" > \"$SPOTKEEPER_CHECKPOINT_DIR/state\"; touch \"$SPOTKEEPER_CHECKPOINT_DIR/.spotkeeper-ready\"' USR1",
            "mkdir -p results",
            "echo \"$SPOTKEEPER_WORKLOAD $SPOTKEEPER_INSTANCE_ID $SPOTKEEPER_CHECKPOINT_DIR\" > results/env.txt",
            "echo 0.25 > \"$SPOTKEEPER_CHECKPOINT_DIR/../progress\"",
            "n=0",
            "while [ ! -f stop ]; do n=$((n+1)); sleep 0.05; done",
            "echo finished > results/out.txt");

    @TempDir
    static Path s3Dir;
    static LocalS3 s3;
    static S3Client client;

    @TempDir
    Path work;
    final List<SpotEvent.AgentReport> reports = new CopyOnWriteArrayList<>();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(3);
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    S3ObjectStore checkpointBucket;
    S3ObjectStore resultsBucket;
    CheckpointStore checkpoints;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = new LocalS3(s3Dir);
        client = s3.client();
        client.createBucket(b -> b.bucket("checkpoints"));
        client.createBucket(b -> b.bucket("results"));
    }

    @AfterAll
    static void stopS3() throws Exception {
        client.close();
        s3.close();
    }

    @AfterEach
    void stopPools() {
        scheduler.shutdownNow();
        pool.shutdownNow();
    }

    private Agent agent(String workload, JobRunner job) {
        return agent(workload, job, Duration.ZERO);
    }

    private Agent agent(String workload, JobRunner job, Duration syncInterval) {
        return agent(workload, job, syncInterval, envelope -> reports.add(parse(envelope)));
    }

    private void openStores(String workload) {
        checkpointBucket = new S3ObjectStore(client, "checkpoints");
        resultsBucket = new S3ObjectStore(client, "results");
        checkpoints = new CheckpointStore(checkpointBucket, "", workload, Clock.systemUTC(), pool, TransferSettings.defaults());
    }

    private Agent agent(String workload, JobRunner job, Duration syncInterval, ReportSink sink) {
        openStores(workload);
        AgentReporter reporter = new AgentReporter(sink, Clock.systemUTC(),
                "i-0job", workload, "us-east-1", UUID::randomUUID);
        return new Agent("i-0job", work.resolve("ckpt"), syncInterval, checkpoints,
                bucket -> bucket.equals("results") ? resultsBucket : checkpointBucket,
                new Agent.Locations(Optional.empty(), Optional.of(S3Location.parse("s3://results/" + workload + "/"))),
                job, reporter, scheduler, pool, Clock.systemUTC());
    }

    private JobRunner job(String workload) {
        return new JobRunner(new JobSpec(workload, work.resolve("job"), work.resolve("ckpt"), work.resolve("job/results"),
                "echo setting up", JOB, "SIGUSR1", "", Map.of()), "i-0job", Clock.systemUTC());
    }

    @Test
    void job_getsItsEnvironment_checkpointsOnTheSignal_andItsResultsAreUploadedOnExitZero() throws Exception {
        Agent agent = agent("train", job("train"));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> agent.run(work.resolve("job"), work.resolve("job/results")));
        Path env = work.resolve("job/results/env.txt");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(env) && Files.size(env) > 0);
        assertThat(Files.readString(env).trim()).isEqualTo("train i-0job " + work.resolve("ckpt"));

        agent.backgroundSync();

        Manifest m = checkpoints.latestComplete().orElseThrow();
        assertThat(m.files()).extracting(f -> f.path()).containsExactly("state");
        ManifestFile.Extent state = m.file("state").orElseThrow().extents().get(0);
        try (var in = checkpointBucket.openRange(state.key(), state.offset(), state.length()).orElseThrow()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).startsWith("step ");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> reports.stream().anyMatch(r -> r.report().equals("progress")));
        Files.createFile(work.resolve("job/stop"));
        assertThat(run.get()).isZero();
        assertThat(resultsBucket.getBytes("train/out.txt")).map(b -> new String(b, StandardCharsets.UTF_8).trim()).contains("finished");
        assertThat(reports).extracting(SpotEvent.AgentReport::report)
                .containsExactlyInAnyOrder("started", "restored", "checkpointed", "progress", "exited")
                .startsWith("started", "restored").endsWith("exited");
        assertThat(reports).filteredOn(r -> r.report().equals("progress")).singleElement()
                .satisfies(r -> assertThat(r.attributes()).containsEntry("progress", "0.25"));
        assertThat(reports.get(4).attributes()).containsEntry("exitCode", "0").containsEntry("results", "s3://results/train/");
    }

    @Test
    void evacuateTag_checkpointsUploadsAndStopsTheJob_once() throws Exception {
        Agent agent = agent("evac", job("evac"));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> agent.run(work.resolve("job"), work.resolve("job/results")));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(work.resolve("job/results/env.txt")));

        InstanceSignal tag = new InstanceSignal.EvacuateTag(Clock.systemUTC().instant().plusSeconds(120));
        agent.onSignal(tag);
        agent.onSignal(new InstanceSignal.InterruptionNotice("terminate", Clock.systemUTC().instant().plusSeconds(100)));

        assertThat(run.get()).isZero();
        List<SpotEvent.AgentReport> lifecycle = reports.stream().filter(r -> !r.report().equals("progress")).toList();
        assertThat(lifecycle).extracting(SpotEvent.AgentReport::report).containsExactly("started", "restored", "evacuating", "evacuated");
        assertThat(lifecycle.get(2).attributes()).containsEntry("fits", "true");
        Manifest m = checkpoints.latestComplete().orElseThrow();
        assertThat(lifecycle.get(3).attributes()).containsEntry("checkpoint", m.id());
        assertThat(m.file("state")).isPresent();
        assertThat(work.resolve("job/results/out.txt")).doesNotExist();
    }

    /** Ignores the checkpoint signal (never confirms) and finishes when a file named stop appears. */
    private static final String UNCONFIRMING_JOB = String.join("\n",
            "trap '' USR1",
            "mkdir -p results",
            "echo \"started\" > \"$SPOTKEEPER_CHECKPOINT_DIR/state\"",
            "while [ ! -f stop ]; do sleep 0.05; done",
            "echo finished > results/out.txt");

    private JobRunner job(String workload, String script) {
        return new JobRunner(new JobSpec(workload, work.resolve("job"), work.resolve("ckpt"), work.resolve("job/results"),
                "", script, "SIGUSR1", "", Map.of()), "i-0job", Clock.systemUTC());
    }

    @Test
    void evacuation_stopsTheJobBeforeItReportsEvacuated() throws Exception {
        JobRunner job = job("fence");
        List<Boolean> aliveAtEvacuated = new CopyOnWriteArrayList<>();
        Agent agent = agent("fence", job, Duration.ZERO, envelope -> {
            SpotEvent.AgentReport r = parse(envelope);
            if (r.report().equals("evacuated")) {
                aliveAtEvacuated.add(job.isAlive());
            }
            reports.add(r);
        });
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> agent.run(work.resolve("job"), work.resolve("job/results")));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(work.resolve("job/results/env.txt")));

        agent.onSignal(new InstanceSignal.EvacuateTag(Clock.systemUTC().instant().plusSeconds(120)));

        assertThat(run.get()).isZero();
        assertThat(aliveAtEvacuated).as("the job was still running when 'evacuated' was reported").containsExactly(false);
    }

    @Test
    void jobFinishingWhileTheEvacuationWaitsForIt_endsAsExitedZeroWithItsResults_notAsEvacuated() throws Exception {
        Agent agent = agent("finishing", job("finishing", UNCONFIRMING_JOB));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> agent.run(work.resolve("job"), work.resolve("job/results")));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(work.resolve("ckpt/state")));

        agent.onSignal(new InstanceSignal.EvacuateTag(Clock.systemUTC().instant().plusSeconds(120)));
        await().atMost(Duration.ofSeconds(20)).until(() -> reports.stream().anyMatch(r -> r.report().equals("evacuating")));
        Files.createFile(work.resolve("job/stop"));

        assertThat(run.get()).isZero();
        assertThat(reports).extracting(SpotEvent.AgentReport::report).doesNotContain("evacuated").endsWith("exited");
        assertThat(reports.get(reports.size() - 1).attributes()).containsEntry("exitCode", "0")
                .containsEntry("results", "s3://results/finishing/");
        assertThat(resultsBucket.getBytes("finishing/out.txt")).map(b -> new String(b, StandardCharsets.UTF_8).trim())
                .contains("finished");
    }

    @Test
    void jobThatNeverConfirms_isUploadedAsItIs_andTheReportSaysItWasNotConfirmed() throws Exception {
        Agent agent = agent("unconfirmed", job("unconfirmed", UNCONFIRMING_JOB));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> agent.run(work.resolve("job"), work.resolve("job/results")));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(work.resolve("ckpt/state")));

        // 7 s: the 5 s safety margin leaves the job about two seconds to confirm.
        agent.onSignal(new InstanceSignal.EvacuateTag(Clock.systemUTC().instant().plusSeconds(7)));

        assertThat(run.get()).isZero();
        assertThat(reports).filteredOn(r -> r.report().equals("evacuated")).singleElement()
                .satisfies(r -> assertThat(r.attributes()).containsEntry("confirmed", "false"));
        assertThat(checkpoints.latestComplete().orElseThrow().file("state")).isPresent();
    }

    /** The controller's start signal, given by the test. */
    static final class TestGate implements StartGate {
        final CompletableFuture<String> order = new CompletableFuture<>();

        @Override
        public Optional<String> now() {
            return Optional.ofNullable(order.getNow(null));
        }

        @Override
        public Optional<String> await(java.util.function.BooleanSupplier abandon) {
            while (!abandon.getAsBoolean()) {
                try {
                    return Optional.of(order.get(50, java.util.concurrent.TimeUnit.MILLISECONDS));
                } catch (java.util.concurrent.TimeoutException e) {
                    // look at abandon again
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return Optional.empty();
        }
    }

    private Agent gated(String workload, JobRunner job, StartGate gate) {
        openStores(workload);
        AgentReporter reporter = new AgentReporter(envelope -> reports.add(parse(envelope)), Clock.systemUTC(),
                "i-0job", workload, "us-east-1", UUID::randomUUID);
        return new Agent("i-0job", work.resolve("ckpt"), Duration.ZERO, checkpoints,
                bucket -> bucket.equals("results") ? resultsBucket : checkpointBucket,
                new Agent.Locations(Optional.empty(), Optional.of(S3Location.parse("s3://results/" + workload + "/"))),
                job, reporter, scheduler, pool, Clock.systemUTC(), gate);
    }

    /** What the instance being replaced left: a checkpoint with a 6 MiB model and a step file, uploaded as it would. */
    private UploadResult oldInstanceUploads(String workload, String step, boolean newModel) throws Exception {
        Path dir = work.resolve("old-ckpt");
        Files.createDirectories(dir);
        if (newModel || !Files.exists(dir.resolve("model.bin"))) {
            byte[] model = new byte[6 << 20];
            new java.util.Random(3).nextBytes(model);
            Files.write(dir.resolve("model.bin"), model);
        }
        Files.writeString(dir.resolve("state"), step + "\n");
        return new CheckpointStore(new S3ObjectStore(client, "checkpoints"), "", workload, Clock.systemUTC(), pool,
                TransferSettings.defaults()).upload(dir, "i-0old");
    }

    @Test
    void replacement_preparesAtOnce_butStartsTheJobOnlyWhenTold_fromTheCheckpointItIsTold() throws Exception {
        oldInstanceUploads("gate", "step 167", true);
        TestGate gate = new TestGate();
        Agent agent = gated("gate", job("gate"), gate);
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> agent.run(work.resolve("job"), work.resolve("job/results")));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(work.resolve("ckpt/model.bin"))
                && Files.readString(work.resolve("ckpt/state")).contains("step 167"));
        UploadResult evacuated = oldInstanceUploads("gate", "step 199", false);
        assertThat(work.resolve("job/results/env.txt")).as("the job has not started").doesNotExist();
        assertThat(reports).extracting(SpotEvent.AgentReport::report).containsExactly("started");

        gate.order.complete(evacuated.manifest().id());

        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(work.resolve("job/results/env.txt")));
        assertThat(Files.readString(work.resolve("ckpt/state"))).as("resumed from what it was told")
                .contains("step 199");
        SpotEvent.AgentReport restored = reports.stream().filter(r -> r.report().equals("restored")).findFirst()
                .orElseThrow();
        assertThat(restored.attributes()).containsEntry("checkpoint", evacuated.manifest().id())
                .containsEntry("reusedBytes", String.valueOf(6 << 20));
        Files.createFile(work.resolve("job/stop"));
        assertThat(run.get()).isZero();
    }

    @Test
    void replacementEvacuatedBeforeItWasToldToStart_neverStartsTheJob_andCommitsNothing() throws Exception {
        oldInstanceUploads("gone", "step 3", true);
        TestGate gate = new TestGate();
        Agent agent = gated("gone", job("gone"), gate);
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> agent.run(work.resolve("job"), work.resolve("job/results")));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(work.resolve("ckpt/state")));

        agent.onSignal(new InstanceSignal.EvacuateTag(Clock.systemUTC().instant().plusSeconds(120)));

        assertThat(run.get()).isZero();
        assertThat(work.resolve("job/results/env.txt")).doesNotExist();
        assertThat(reports).extracting(SpotEvent.AgentReport::report).containsExactly("started", "evacuated");
        assertThat(reports.get(1).attributes()).containsEntry("checkpoint", "");
        assertThat(checkpoints.latestComplete().orElseThrow().instanceId()).as("nothing uploaded").isEqualTo("i-0old");
    }

    @Test
    void backgroundSync_runsAtTheInterval_andEachCheckpointIsNewer() throws Exception {
        Agent agent = agent("sync", job("sync"), Duration.ofMillis(300));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> agent.run(work.resolve("job"), work.resolve("job/results")));

        await().atMost(Duration.ofSeconds(30)).until(() -> reports.stream().filter(r -> r.report().equals("checkpointed")).count() >= 2);
        Files.createFile(work.resolve("job/stop"));

        assertThat(run.get()).isZero();
        List<String> ids = reports.stream().filter(r -> r.report().equals("checkpointed"))
                .map(r -> r.attributes().get("checkpoint")).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(checkpoints.latestComplete().orElseThrow().file("state")).isPresent();
    }

    private static SpotEvent.AgentReport parse(String envelope) {
        ParsedEvent p = EventParser.parse(envelope);
        assertThat(p).isInstanceOf(ParsedEvent.Event.class);
        return (SpotEvent.AgentReport) ((ParsedEvent.Event) p).event();
    }
}
