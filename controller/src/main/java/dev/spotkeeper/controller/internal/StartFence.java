package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Exactly one instance runs a workload's job at a time. A replacement boots, sets up and fetches the newest complete
 * checkpoint at once, but its agent starts the job only when the instance carries the tag {@code spotkeeper:start}
 * (read from IMDS), whose value names the checkpoint to resume from: the one the instance it replaces committed when
 * it evacuated, or {@code newest}. The fence lets a replacement start once no other instance may still be running
 * the job: every instance that was ever told to start has either reported {@code evacuated} (its agent stops the job
 * before it reports) or is confirmed gone by EC2.
 *
 * <p>Nothing here is kept in memory: the tag and the records say who was told to start and who committed, so a
 * controller restarted at any point lets the replacement start on its first pass. Nothing waits forever either: an
 * evacuation that is never reported is given up at its deadline plus the grace, the instance is terminated, and once
 * EC2 no longer runs it the replacement starts from the newest complete checkpoint.
 */
final class StartFence {
    private final Context ctx;

    StartFence(Context ctx) {
        this.ctx = ctx;
    }

    /**
     * What an instance launched now may start from, when it may start at once: when no instance of the workload
     * may still be running the job by what the store alone says (the cloud's confirmation of a termination needs a
     * pass). Empty: launch it without the tag, and {@link #release} lets it start later.
     */
    Optional<String> atLaunch(String workload, String replaces) {
        List<InstanceRecord> all = ctx.store.instances(workload);
        for (InstanceRecord x : all) {
            if (x.released() && x.committed().isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.of(startFrom(replaces, index(all)));
    }

    /** Tells each waiting instance of the workload to start, once nothing else may be running the job. */
    void release(WorkloadRecord w, Map<String, CloudInstance> cloud, Instant now) {
        List<InstanceRecord> all = ctx.store.instances(w.name());
        Map<String, InstanceRecord> byId = index(all);
        for (InstanceRecord r : all) {
            if (r.state().isTerminal() || r.released() || !r.replacedBy().isEmpty() || !waits(r)) {
                continue;
            }
            CloudInstance c = cloud.get(r.instanceId());
            if (c == null) {
                continue; // not listed yet: tagging it may fail; the next pass finds it
            }
            String tagged = c.tags().getOrDefault(Tags.START, "");
            if (!tagged.isEmpty()) {
                // Tagged by a pass that stopped before it could record it.
                ctx.records.started(r.instanceId(), tagged);
                continue;
            }
            Optional<String> blocker = blocker(all, r, cloud, now);
            if (blocker.isPresent()) {
                continue;
            }
            String from = startFrom(r.replaces(), byId);
            ctx.compute.tag(Moves.region(r), r.instanceId(), Map.of(Tags.START, from));
            ctx.records.started(r.instanceId(), from);
            ctx.journal.note(w.name(), r.instanceId(), Kind.RELEASED, "may start the job, from "
                    + (from.equals(InstanceRecord.NEWEST) ? "the newest complete checkpoint" : from)
                    + (r.replaces().isEmpty() ? "" : " (" + r.replaces() + " no longer runs it)"));
        }
    }

    /** Only an instance that is to do the work waits for the start: not one already being evacuated or replaced. */
    private static boolean waits(InstanceRecord r) {
        return switch (r.state()) {
            case PENDING, RUNNING -> true;
            case AT_RISK, EVACUATING, EVACUATED, TERMINATED -> false;
        };
    }

    /** Another instance that may still be running the job, if any (its id, for tests and the log). */
    private Optional<String> blocker(List<InstanceRecord> all, InstanceRecord r, Map<String, CloudInstance> cloud,
                                     Instant now) {
        for (InstanceRecord x : all) {
            if (x.instanceId().equals(r.instanceId()) || !x.released() || !x.committed().isEmpty()) {
                continue;
            }
            if (!x.state().isTerminal()) {
                return Optional.of(x.instanceId());
            }
            CloudInstance cx = cloud.get(x.instanceId());
            if (cx == null || cx.state().equals("terminated") || cx.state().equals("stopped")) {
                continue; // EC2 no longer runs it
            }
            if (cx.state().equals("pending") || cx.state().equals("running")) {
                // Recorded as ended, yet EC2 still runs it: ending it is idempotent.
                ctx.compute.terminate(Moves.region(x), x.instanceId());
                return Optional.of(x.instanceId());
            }
            // Shutting down: its processes are being ended. Bounded, should EC2 be slow to say it is done.
            if (now.isBefore(x.updatedAt().plus(ctx.config.evacuationGrace()))) {
                return Optional.of(x.instanceId());
            }
        }
        return Optional.empty();
    }

    /**
     * The checkpoint to start from: the one committed by the nearest predecessor that ran the job, when it evacuated;
     * {@code newest} when it ran the job and did not (its evacuation failed or never came), or when none ran it.
     */
    private static String startFrom(String replaces, Map<String, InstanceRecord> byId) {
        String id = replaces;
        for (int hops = 0; !id.isEmpty() && hops < byId.size(); hops++) {
            InstanceRecord x = byId.get(id);
            if (x == null) {
                break;
            }
            if (!x.committed().isEmpty()) {
                return x.committed();
            }
            if (x.released()) {
                break;
            }
            id = x.replaces();
        }
        return InstanceRecord.NEWEST;
    }

    private static Map<String, InstanceRecord> index(List<InstanceRecord> all) {
        Map<String, InstanceRecord> byId = new HashMap<>();
        all.forEach(x -> byId.put(x.instanceId(), x));
        return byId;
    }

    /** How long after a termination the fence waits for EC2 to confirm it, at most (for the docs and tests). */
    Duration confirmationBound() {
        return ctx.config.evacuationGrace();
    }
}
