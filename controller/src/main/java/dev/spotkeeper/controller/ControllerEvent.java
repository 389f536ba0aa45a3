package dev.spotkeeper.controller;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.store.EventFields;
import java.time.Instant;

/**
 * One thing the controller did or heard, for the job's event log and live status. {@code instanceId} is empty
 * when the event is about the workload as a whole (or about a message that named no known instance).
 */
public record ControllerEvent(Instant time, String workload, String instanceId, Kind kind, String message,
                              EventFields fields) {
    /** What happened. */
    public enum Kind {
        SUBMITTED,
        LAUNCHED,
        LAUNCH_FAILED,
        ADOPTED,
        /** EC2 reports the instance running: the machine is up, its agent starts next (RUNNING once it reports). */
        BOOTED,
        RUNNING,
        AT_RISK,
        EVACUATING,
        EVACUATED,
        TERMINATED,
        RELOCATING,
        /** The scheduling policy (or the deadline rule under it) changed its decision for a workload. */
        SCHEDULED,
        /** A replacement was let start the job, no other instance running it any more. */
        RELEASED,
        RESTORED,
        /** The agent's restore passed over a newer checkpoint (incomplete or corrupt), with the reason. */
        CHECKPOINT_SKIPPED,
        CHECKPOINTED,
        PROGRESS,
        /** A service's primary moved to another instance (a hand-over), with how long writes were refused. */
        PRIMARY_MOVED,
        /** A service's binary log reaches S3 later than its interval: what was written since could be lost. */
        DATA_AT_RISK,
        /** What the controller did to a fleet's group: made or re-ranked it, detached, terminated, sized, deleted. */
        FLEET,
        /** A fleet has fewer healthy replicas than it wants. */
        CAPACITY_LOW,
        /** A fleet has as many healthy replicas as it wants again. */
        CAPACITY_RESTORED,
        /** A budget or max duration will be reached soon: how much time (or money) is left, told once per limit. */
        LIMIT_NEAR,
        LIMIT_REACHED,
        SUCCEEDED,
        FAILED,
        CANCELLED,
        /** An event that could not be read: logged with the reason and deleted. */
        MALFORMED_EVENT,
        /** A well-formed event about nothing this controller runs, or of a kind it does not handle. */
        IGNORED_EVENT,
        /** Something the workload's owner should change: the job runs, but not as spotkeeper can best keep it alive. */
        WARNING,
        /** A service's stable address was allocated and pointed at its primary, moved to a new one, or released. */
        ENDPOINT,
        /** A cloud or store call failed; the next pass retries. */
        ERROR
    }

    public ControllerEvent {
        requireNonNull(time, "time is null");
        requireNonNull(workload, "workload is null");
        requireNonNull(instanceId, "instanceId is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(message, "message is null");
        requireNonNull(fields, "fields is null");
    }

    /** An event without typed fields. */
    public ControllerEvent(Instant time, String workload, String instanceId, Kind kind, String message) {
        this(time, workload, instanceId, kind, message, EventFields.NONE);
    }

    @Override
    public String toString() {
        return time + " " + kind + (workload.isEmpty() ? "" : " " + workload)
                + (instanceId.isEmpty() ? "" : " " + instanceId) + ": " + message;
    }
}
