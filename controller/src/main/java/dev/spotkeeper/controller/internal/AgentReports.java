package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.event.SpotEvent;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.protocol.Decoded;
import dev.spotkeeper.core.protocol.Report;
import dev.spotkeeper.core.protocol.ReportCodec;
import dev.spotkeeper.core.store.EventFields;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.JobRun;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the agent's reports (docs/job-runtime.md) mean for the stored state: the instance's lifecycle, the workload's
 * checkpoint, progress and run, the ledger's transfer and storage, and how the job ended. As every event, a report may
 * come late, twice or out of order, and every transition is checked against the state machine.
 */
final class AgentReports {
    private final Context ctx;
    private final Moves moves;
    private final DataBilling data;
    /** Instances whose unconfirmed checkpoints were warned about, in this controller's memory only. */
    private final Set<String> warnedUnconfirmed = ConcurrentHashMap.newKeySet();

    AgentReports(Context ctx, Moves moves) {
        this.ctx = ctx;
        this.moves = moves;
        this.data = new DataBilling(ctx);
    }

    void handle(InstanceRecord r, SpotEvent.AgentReport a, Instant now) {
        Decoded decoded = ReportCodec.decode(a.report(), a.attributes());
        if (decoded instanceof Decoded.Refused refused) {
            // An unknown report or a newer protocol: one line in the journal, and the instance is left as it was.
            ctx.journal.note(r.workload(), r.instanceId(), Kind.IGNORED_EVENT, refused.reason());
            return;
        }
        Decoded.Accepted accepted = (Decoded.Accepted) decoded;
        for (String note : accepted.notes()) {
            ctx.journal.note(r.workload(), r.instanceId(), Kind.IGNORED_EVENT, note);
        }
        // Java 17 has no pattern switch: one branch per record of the sealed Report.
        Report report = accepted.report();
        if (report instanceof Report.Started) {
            running(r, now, "agent started");
        } else if (report instanceof Report.Restored x) {
            restored(r, x, now);
        } else if (report instanceof Report.Checkpointed x) {
            checkpoint(r, x.checkpoint(), Kind.CHECKPOINTED, now);
            uploaded(r, x, now);
            unconfirmed(r, x);
        } else if (report instanceof Report.Evacuating x) {
            evacuating(r, x, now);
        } else if (report instanceof Report.Evacuated x) {
            evacuated(r, x, now);
        } else if (report instanceof Report.Progress x) {
            progress(r, x.progress(), now);
        } else if (report instanceof Report.Failed x) {
            // The agent cannot start (bad settings, S3 out of reach): another instance would fail the same way.
            moves.finish(r.workload(), WorkloadStatus.FAILED, "the agent on " + r.instanceId() + " could not start: "
                    + (x.reason().isEmpty() ? "no reason given" : x.reason()));
            moves.terminate(moves.current(r), "its agent could not start");
        } else if (report instanceof Report.Abandoned x) {
            abandoned(r, x.reason(), now);
        } else if (report instanceof Report.Shipped x) {
            data.shipped(r, x.position(), x.bytes(), x.sentInAll(), now);
        } else if (report instanceof Report.Exited x) {
            exited(r, x.exitCode().isPresent() ? Integer.toString(x.exitCode().getAsInt()) : "", x.results(),
                    x.reason());
        }
    }

    /**
     * A service's announced move is abandoned, told by the old primary (which serves on) or by its replacement
     * (which gave up): the replacement is ended, the old primary is the primary again, and the owner is told once
     * that the backup in S3 has a gap only the old primary's data covers. No new move is started from that
     * primary ({@link ServiceReconciler}); the next warning moves it as any other.
     */
    private void abandoned(InstanceRecord r, String reason, Instant now) {
        InstanceRecord old = !r.replacedBy().isEmpty() ? r
                : ctx.store.instance(r.replaces()).filter(p -> p.replacedBy().equals(r.instanceId())).orElse(null);
        if (old == null) {
            ctx.journal.note(r.workload(), r.instanceId(), Kind.IGNORED_EVENT, "move abandoned, but no move from or"
                    + " to " + r.instanceId() + " is under way: " + reason);
            return;
        }
        String replacement = old.replacedBy();
        String why = reason.isEmpty() ? "the replacement could not take over verified" : reason;
        if (ctx.records.moveAbandoned(old.instanceId(), replacement, now)) {
            ctx.journal.note(r.workload(), old.instanceId(), Kind.DATA_AT_RISK, "move from " + old.instanceId()
                    + " to " + replacement + " abandoned: " + why + "; " + old.instanceId() + " keeps serving as"
                    + " the primary, and no further planned move is made from it; its backup in S3 cannot restore"
                    + " the data alone", EventFields.NONE.withInstance(old.poolKey(), old.pricePerHour(), old.spot())
                    .withDataAtRisk("move-abandoned", Optional.empty(), Optional.empty()));
        }
        ctx.store.instance(replacement).filter(q -> !q.state().isTerminal()).ifPresent(q -> moves.terminate(q,
                "the move from " + old.instanceId() + " is abandoned: " + why));
    }

    private void restored(InstanceRecord r, Report.Restored x, Instant now) {
        running(r, now, "agent restored");
        String ckpt = x.checkpoint();
        ctx.journal.note(r.workload(), r.instanceId(), Kind.RESTORED, ckpt.isEmpty() ? "fresh start"
                : "restored " + ckpt + " (" + (x.bytes() < 0 ? "?" : Long.toString(x.bytes())) + " bytes in "
                + (x.seconds().isPresent() ? Double.toString(x.seconds().getAsDouble()) : "?") + " s"
                + (x.reusedBytes() == 0 ? "" : "; " + x.reusedBytes() + " bytes were already on the instance") + ")",
                EventFields.NONE.withInstance(r.poolKey(), r.pricePerHour(), r.spot()).withCheckpoint(ckpt,
                        x.bytes() < 0 ? Optional.empty() : Optional.of(x.bytes()), seconds(x.seconds())));
        jobStarted(r, ckpt, x.skipped(), now);
        if (!ckpt.isEmpty()) {
            data.restored(r, ckpt, x.bytes(), now);
        }
    }

    private void evacuating(InstanceRecord r, Report.Evacuating x, Instant now) {
        if (r.state() == InstanceState.RUNNING || r.state() == InstanceState.PENDING) {
            // The agent saw the warning in IMDS before the event reached us: same path as the event.
            EventHandler.Deadline d = EventHandler.agentDeadline(x.deadline(), now);
            moves.atRisk(r, d.at(), "agent saw an interruption notice" + d.note());
        } else if (ctx.records.move(r.instanceId(), InstanceState.EVACUATING, now)) {
            ctx.journal.note(r.workload(), r.instanceId(), Kind.EVACUATING, "agent evacuating, fits: " + x.fits());
        }
    }

    private void evacuated(InstanceRecord r, Report.Evacuated x, Instant now) {
        if (r.state() == InstanceState.RUNNING || r.state() == InstanceState.PENDING) {
            // Its "evacuating" is late or lost: the agent saved its state on a notice we have not heard
            // of. Take the warning's path first, so the replacement starts now rather than after the
            // evacuation deadline, and a late "evacuating" finds nothing left to do.
            moves.atRisk(r, now, "agent evacuated on a notice of its own");
        }
        // The agent stopped the job before it reported: the checkpoint is where the next instance starts.
        if (ctx.records.evacuated(r.instanceId(), x.checkpoint(), now)) {
            checkpoint(r, x.checkpoint(), Kind.EVACUATED, now, EventFields.NONE.withInstance(r.poolKey(),
                    r.pricePerHour(), r.spot()).withCheckpoint(x.checkpoint(), x.bytes() < 0 ? Optional.empty()
                    : Optional.of(x.bytes()), seconds(x.seconds())));
        }
        // The bytes went to the bucket even when the report comes too late to change the instance's state.
        uploaded(r, x, now);
        unconfirmed(r, x);
    }

    /**
     * The agent restored {@code checkpoint} (empty: a fresh start) and starts the job now: the first time in this
     * submission, the max duration starts counting. The checkpoint restored is the one the work continues from, so
     * it is the workload's checkpoint from now on, even when a newer one had to be skipped (each is logged, with why).
     */
    private void jobStarted(InstanceRecord r, String checkpoint, List<String> skipped, Instant now) {
        for (String s : skipped) {
            ctx.journal.note(r.workload(), r.instanceId(), Kind.CHECKPOINT_SKIPPED, "skipped " + s);
        }
        Optional<WorkloadRecord> before = ctx.store.workload(r.workload());
        Optional<WorkloadRecord> after = ctx.records.updateWorkload(r.workload(), w -> w.status().isTerminal() ? w
                : w.with(w.status(), w.progress(), checkpoint.isEmpty() && skipped.isEmpty() ? w.lastCheckpoint()
                        : checkpoint, now).withRun(w.run().startedAt(now).restored(checkpoint, skipped), now));
        if (before.isEmpty() || after.isEmpty() || before.get().run().startedAt().isPresent()
                || after.get().run().startedAt().isEmpty()) {
            return;
        }
        Instant started = after.get().run().startedAt().get();
        Optional<Duration> limit = spec(after.get()).flatMap(WorkloadSpec::maxDuration);
        limit.ifPresent(d -> ctx.journal.note(r.workload(), r.instanceId(), Kind.RUNNING, "the job runs: its max"
                + " duration " + d + " counts from now and ends at " + started.plus(d)));
    }

    private Optional<WorkloadSpec> spec(WorkloadRecord w) {
        try {
            return Optional.of(ctx.spec(w.specText()));
        } catch (RuntimeException e) {
            return Optional.empty(); // the reconciler fails the workload for it
        }
    }

    private void running(InstanceRecord r, Instant now, String why) {
        if (ctx.records.move(r.instanceId(), InstanceState.RUNNING, now)) {
            ctx.journal.note(r.workload(), r.instanceId(), Kind.RUNNING, why);
        }
    }

    private static Optional<Duration> seconds(java.util.OptionalDouble s) {
        return s.isPresent() && Double.isFinite(s.getAsDouble()) && s.getAsDouble() >= 0
                ? Optional.of(Duration.ofMillis(Math.round(s.getAsDouble() * 1000))) : Optional.empty();
    }

    private void checkpoint(InstanceRecord r, String checkpoint, Kind kind, Instant now) {
        checkpoint(r, checkpoint, kind, now, EventFields.NONE.withCheckpoint(checkpoint, Optional.empty(),
                Optional.empty()));
    }

    private void checkpoint(InstanceRecord r, String checkpoint, Kind kind, Instant now, EventFields fields) {
        if (!checkpoint.isEmpty()) {
            ctx.records.updateWorkload(r.workload(), w -> checkpoint.compareTo(w.lastCheckpoint()) <= 0 ? w
                    : w.with(w.status(), w.progress(), checkpoint, now));
        }
        ctx.journal.note(r.workload(), r.instanceId(), kind, checkpoint.isEmpty() ? "no checkpoint named"
                : "checkpoint " + checkpoint, fields);
    }

    /**
     * The agent asked the job for a checkpoint and the job never said it was written: the owner should know how. Once
     * per instance (in this controller's memory), as every background sync of such a job would repeat it.
     */
    private void unconfirmed(InstanceRecord r, Report.Upload u) {
        if (!u.confirmed() && warnedUnconfirmed.add(r.instanceId())) {
            if (warnedUnconfirmed.size() > 10_000) {
                warnedUnconfirmed.clear();
            }
            ctx.journal.note(r.workload(), r.instanceId(), Kind.WARNING, "the job did not confirm checkpoint "
                    + (u.checkpoint().isEmpty() ? "?" : u.checkpoint()) + " in time, so it was uploaded as the job had left it. To"
                    + " confirm, the job writes its checkpoint and then touches $SPOTKEEPER_CHECKPOINT_DIR/"
                    + ".spotkeeper-ready (or give checkpoint.command, whose exit 0 confirms)");
        }
    }

    private void uploaded(InstanceRecord r, Report.Upload u, Instant now) {
        u.seconds().ifPresent(seconds -> ctx.records.updateWorkload(r.workload(), w -> {
            JobRun run = w.run().uploaded(seconds);
            return run == w.run() ? w : w.withRun(run, now);
        })); // no duration: the limits keep the margin they had
        data.uploaded(r, u.checkpoint(), u.bytes(), u.storedBytes(), now);
    }

    /** @param p in [0, 1]: the codec refuses a progress outside it */
    private void progress(InstanceRecord r, double p, Instant now) {
        ctx.records.updateWorkload(r.workload(), w -> w.status().isTerminal() || p <= w.progress() ? w
                : w.with(w.status(), p, w.lastCheckpoint(), now));
        ctx.journal.note(r.workload(), r.instanceId(), Kind.PROGRESS, String.format(java.util.Locale.ROOT, "%.1f %%", p * 100));
    }

    /** @param reason the agent's explanation of the exit, when it has one (the job died of the checkpoint signal) */
    private void exited(InstanceRecord r, String exitCode, String results, String reason) {
        String failure = "job exited with code " + exitCode + (reason.isEmpty() ? "" : ": " + reason);
        if (r.state() != InstanceState.RUNNING && r.state() != InstanceState.PENDING) {
            if (exitCode.equals("0") && !r.state().isTerminal()) {
                // The agent reports no exit for a job it stopped to evacuate, so this job finished on its own
                // before the evacuation began and its results are uploaded: the work is done, the replacement is
                // not needed (the reconciler ends it), and nothing should wait for an evacuation that will not come.
                moves.finish(r.workload(), WorkloadStatus.SUCCEEDED, "job exited 0 while its instance was "
                        + r.state() + (results.isEmpty() ? "" : ", results " + results));
                moves.terminate(moves.current(r), "job finished");
                return;
            }
            if (!reason.isEmpty() && !r.state().isTerminal()) {
                // The agent knows why it died (of the checkpoint signal): the replacement would die the same way.
                moves.finish(r.workload(), WorkloadStatus.FAILED, failure);
                moves.terminate(moves.current(r), "job failed");
                return;
            }
            // A job that fails while its instance is evacuated: its successor carries on from the checkpoint.
            ctx.journal.note(r.workload(), r.instanceId(), Kind.IGNORED_EVENT,
                    "job exited " + exitCode + " while the instance was " + r.state());
            return;
        }
        if (exitCode.equals("0")) {
            moves.finish(r.workload(), WorkloadStatus.SUCCEEDED, "job exited 0" + (results.isEmpty() ? "" : ", results " + results));
        } else {
            moves.finish(r.workload(), WorkloadStatus.FAILED, failure);
        }
        moves.terminate(moves.current(r), "job finished");
    }
}
