package dev.spotkeeper.agent;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.agent.checkpoint.CheckpointStore;
import dev.spotkeeper.agent.checkpoint.RestoreResult;
import dev.spotkeeper.agent.checkpoint.UploadPlan;
import dev.spotkeeper.agent.checkpoint.UploadResult;
import dev.spotkeeper.agent.imds.InstanceSignal;
import dev.spotkeeper.agent.job.JobRunner;
import dev.spotkeeper.agent.report.AgentReporter;
import dev.spotkeeper.agent.s3.S3Location;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's life on one instance: restore, fetch the source, run setup and the job, sync the checkpoint in the
 * background, evacuate once (whichever signal came first) and, when the job exits 0, upload its results.
 */
public final class Agent {
    private static final Logger LOG = Logger.getLogger(Agent.class.getName());
    /** Kept free at the end of the window for the manifest and the reports. */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(5);
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** Where the job's files come from and go. */
    public record Locations(Optional<S3Location> source, Optional<S3Location> results) {
        public Locations {
            requireNonNull(source, "source is null");
            requireNonNull(results, "results is null");
        }
    }

    private final String instanceId;
    private final Path checkpointDir;
    private final Duration syncInterval;
    private final CheckpointStore checkpoints;
    private final Function<String, ObjectStore> buckets;
    private final Locations locations;
    private final JobRunner job;
    private final AgentReporter reporter;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService pool;
    private final Clock clock;
    private final Evacuation evacuation;
    private final StartGate gate;
    /** Held while the job is being started, so an evacuation sees either no job or a started one. */
    private final Object starting = new Object();
    private final List<ScheduledFuture<?>> schedules = new ArrayList<>();
    private double lastProgress = -1;
    private volatile boolean warnedUnconfirmed;

    /** An agent that starts the job at once (no controller to wait for). */
    public Agent(String instanceId, Path checkpointDir, Duration syncInterval, CheckpointStore checkpoints,
                 Function<String, ObjectStore> buckets, Locations locations, JobRunner job, AgentReporter reporter,
                 ScheduledExecutorService scheduler, ExecutorService pool, Clock clock) {
        this(instanceId, checkpointDir, syncInterval, checkpoints, buckets, locations, job, reporter, scheduler, pool,
                clock, StartGate.open());
    }

    /** @param gate says when the job may start and from which checkpoint (the controller's start signal) */
    public Agent(String instanceId, Path checkpointDir, Duration syncInterval, CheckpointStore checkpoints,
                 Function<String, ObjectStore> buckets, Locations locations, JobRunner job, AgentReporter reporter,
                 ScheduledExecutorService scheduler, ExecutorService pool, Clock clock, StartGate gate) {
        this.instanceId = requireNonNull(instanceId, "instanceId is null");
        this.checkpointDir = requireNonNull(checkpointDir, "checkpointDir is null");
        this.syncInterval = requireNonNull(syncInterval, "syncInterval is null");
        this.checkpoints = requireNonNull(checkpoints, "checkpoints is null");
        this.buckets = requireNonNull(buckets, "buckets is null");
        this.locations = requireNonNull(locations, "locations is null");
        this.job = requireNonNull(job, "job is null");
        this.reporter = requireNonNull(reporter, "reporter is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.pool = requireNonNull(pool, "pool is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.evacuation = new Evacuation(this::evacuateBy, clock, scheduler);
        this.gate = requireNonNull(gate, "gate is null");
    }

    /**
     * Runs the job to its end; returns its exit code (0 after an evacuation). The checkpoint is restored before the
     * source and setup, as the job will see it. Without the start signal at boot this is a replacement: what it
     * restores then is the newest complete checkpoint, a preparation, so that restoring the one it is told to start
     * from (once the instance it replaces has stopped the job) fetches only what differs.
     */
    public int run(Path workDir, Path resultsDir) {
        reporter.started();
        Optional<String> order = gate.now();
        RestoreResult early = checkpoints.restore(checkpointDir, order.orElse(CheckpointStore.NEWEST));
        if (order.isEmpty()) {
            LOG.log(Level.INFO, "prepared {0} ({1} bytes) while the instance this one replaces commits its state",
                    new Object[] {early.checkpointId().isEmpty() ? "no checkpoint" : early.checkpointId(),
                            early.bytes()});
        }
        locations.source().ifPresent(src -> LOG.log(Level.INFO, "fetched {0} bytes of source from {1}",
                new Object[] {Folders.download(buckets.apply(src.bucket()), src.prefix(), workDir, pool), src}));
        int setup = job.setup();
        if (setup != 0) {
            reporter.exited(setup, "", "");
            return setup;
        }
        boolean started = order.isPresent() ? startJob(() -> early, 0)
                : gate.await(evacuation::started).map(from -> startJob(() -> checkpoints.restore(checkpointDir, from),
                        early.bytes())).orElse(false);
        if (!started) {
            evacuation.awaitDone();
            return 0;
        }
        if (!syncInterval.isZero()) {
            long every = syncInterval.toMillis();
            schedules.add(scheduler.scheduleWithFixedDelay(this::backgroundSync, every, every, TimeUnit.MILLISECONDS));
        }
        schedules.add(scheduler.scheduleWithFixedDelay(this::checkProgress, 1, 1, TimeUnit.SECONDS));
        int exit = job.waitFor();
        schedules.forEach(s -> s.cancel(false));
        if (evacuation.started()) {
            evacuation.awaitDone();
        }
        if (job.stoppedByAgent()) {
            // Stopped for an evacuation: its state is committed and the successor carries on from it.
            return 0;
        }
        // The job ended on its own, also when an evacuation was waiting for it: its exit is the news, not the evacuation.
        Optional<String> why = job.diagnose(exit);
        why.ifPresent(w -> LOG.log(Level.SEVERE, w));
        String results = "";
        if (exit == 0 && locations.results().isPresent()) {
            S3Location r = locations.results().get();
            Folders.upload(buckets.apply(r.bucket()), resultsDir, r.prefix(), pool);
            results = r.toString();
        }
        reporter.exited(exit, results, why.orElse(""));
        return exit;
    }

    /**
     * Reports the restore and starts the job, unless an evacuation began first: then the job never ran here and the
     * evacuation has nothing to commit. False when it did not start.
     *
     * @param restore the restore the job starts from (done here when it is the one the start signal named)
     * @param preparedBytes fetched earlier while waiting, reported with this restore's bytes
     */
    private boolean startJob(Supplier<RestoreResult> restore, long preparedBytes) {
        synchronized (starting) {
            if (evacuation.started()) {
                return false;
            }
            RestoreResult r = restore.get();
            LOG.log(Level.INFO, "starting the job from {0}", r.checkpointId().isEmpty() ? "nothing (a fresh start)"
                    : r.checkpointId());
            reporter.restored(r, preparedBytes);
            job.start();
            return true;
        }
    }

    /** True once the job was started here: from then on a failure is the job's, not the agent's start. */
    public boolean jobStarted() {
        return job.started();
    }

    /** What the IMDS watcher calls: every path ends in the one evacuation, or in an early sync. */
    public void onSignal(InstanceSignal signal) {
        if (signal instanceof InstanceSignal.InterruptionNotice n) {
            evacuation.request(n.time(), "spot " + n.action() + " notice");
        } else if (signal instanceof InstanceSignal.EvacuateTag t) {
            evacuation.request(t.deadline(), "evacuate tag");
        } else if (signal instanceof InstanceSignal.RebalanceNotice) {
            // No deadline yet: commit a checkpoint now so that a later evacuation has little left to send. It runs
            // on the scheduler, not the transfer pool, so it never holds a transfer thread while waiting on transfers.
            scheduler.execute(this::backgroundSync);
        }
    }

    /** Asks the job for a checkpoint (if it can be asked) and uploads it, unless an evacuation has begun. */
    void backgroundSync() {
        if (evacuation.started() || !job.isAlive()) {
            return;
        }
        try {
            Duration wait = syncInterval.isZero() ? Duration.ofMinutes(1) : syncInterval.dividedBy(2);
            boolean confirmed = !job.canBeAsked() || job.requestCheckpoint(wait);
            if (evacuation.started() || !job.isAlive()) {
                return;
            }
            if (!confirmed) {
                warnUnconfirmed(wait);
            }
            UploadResult r = checkpoints.upload(checkpointDir, instanceId);
            reporter.checkpointed(r, confirmed);
        } catch (SpotkeeperException e) {
            LOG.log(Level.WARNING, "background checkpoint failed (the next one will retry): {0}", e.getMessage());
        }
    }

    private void checkProgress() {
        OptionalDouble p = job.progress();
        if (p.isPresent() && p.getAsDouble() != lastProgress) {
            lastProgress = p.getAsDouble();
            reporter.progress(lastProgress);
        }
    }

    /**
     * The evacuation itself: plan, ask the job, upload, stop the job, report. The job is stopped before "evacuated" is
     * reported, because from that report on the controller lets the replacement start the job. A job that ends on its
     * own with exit 0 meanwhile (it finished) is reported by {@link #run} as exited, not as evacuated.
     */
    private void evacuateBy(Instant deadline) {
        synchronized (starting) {
            if (!job.started()) {
                // A replacement told to go before it started: nothing of the job to commit, no checkpoint to name.
                LOG.info("evacuating before the job started here: nothing to commit");
                reporter.evacuatedNothing();
                return;
            }
        }
        UploadPlan plan = checkpoints.plan(checkpointDir);
        Duration left = Duration.between(clock.instant(), deadline).minus(SAFETY_MARGIN);
        boolean fits = plan.fits(left);
        reporter.evacuating(deadline, plan.estimate().toMillis() / 1000.0, fits);
        Duration forJob = left.minus(plan.estimate());
        if (forJob.compareTo(Duration.ofSeconds(1)) < 0) {
            forJob = Duration.ofSeconds(1);
        }
        boolean confirmed = !job.canBeAsked() || job.requestCheckpoint(forJob);
        if (finishedOnItsOwn()) {
            LOG.info("the job finished on its own while the evacuation waited for its checkpoint: its exit is reported");
            return;
        }
        if (!confirmed) {
            warnUnconfirmed(forJob);
        }
        UploadResult uploaded;
        try {
            uploaded = checkpoints.upload(checkpointDir, instanceId);
        } finally {
            job.stop(STOP_GRACE);
        }
        if (finishedOnItsOwn()) {
            LOG.info("the job finished on its own while its checkpoint was uploaded: its exit is reported");
            return;
        }
        reporter.evacuated(uploaded, confirmed);
    }

    private boolean finishedOnItsOwn() {
        return !job.stoppedByAgent() && job.exitCode().orElse(-1) == 0;
    }

    /** Once per agent: the console says how a job confirms; every report carries {@code confirmed=false}. */
    private void warnUnconfirmed(Duration waited) {
        if (warnedUnconfirmed) {
            return;
        }
        warnedUnconfirmed = true;
        LOG.log(Level.WARNING, "the job did not confirm its checkpoint within {0} s; uploading what it has written."
                + " To confirm, the job writes its checkpoint and then touches $SPOTKEEPER_CHECKPOINT_DIR/"
                + JobRunner.READY_MARKER + " (or give checkpoint.command, whose exit 0 confirms)", waited.toSeconds());
    }
}
