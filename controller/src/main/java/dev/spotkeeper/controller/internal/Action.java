package dev.spotkeeper.controller.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.store.WorkloadStatus;
import java.time.Instant;

/**
 * What a {@link KindReconciler} asks the {@link PlanExecutor} to do to one workload. Actions are values: the executor
 * applies each one at most once per pass, with conditional writes, so a plan made again after a step (or by another
 * controller at the same time) never does the same thing twice.
 */
public sealed interface Action {
    /** Launch the workload's first instance (unless one is live already) and mark the workload running. */
    record Start(boolean launch) implements Action {
    }

    /** Launch a new instance after {@code after} (empty: none before it), in the same slot. */
    record Launch(String after) implements Action {
        public Launch {
            requireNonNull(after, "after is null");
        }
    }

    /** Launch the replacement of an instance that is going, unless it has one. */
    record Replace(String instanceId) implements Action {
        public Replace {
            requireNonNull(instanceId, "instanceId is null");
        }
    }

    /** Ask the instance's agent to commit a checkpoint by {@code deadline} and stop. */
    record Evacuate(String instanceId, Instant deadline, String cause) implements Action {
        public Evacuate {
            requireNonNull(instanceId, "instanceId is null");
            requireNonNull(deadline, "deadline is null");
            requireNonNull(cause, "cause is null");
        }
    }

    /** Terminate the instance, in the cloud and in the store. */
    record Terminate(String instanceId, String why) implements Action {
        public Terminate {
            requireNonNull(instanceId, "instanceId is null");
            requireNonNull(why, "why is null");
        }
    }

    /** End the workload with a status. */
    record Finish(WorkloadStatus status, String why) implements Action {
        public Finish {
            requireNonNull(status, "status is null");
            requireNonNull(why, "why is null");
        }
    }

    /** The instance's agent never reported: fail the workload, naming its last console line, and terminate it. */
    record AgentSilent(String instanceId) implements Action {
        public AgentSilent {
            requireNonNull(instanceId, "instanceId is null");
        }
    }

    /** Let each waiting instance start the job once nothing else may be running it (the start fence). */
    record ReleaseWaiting() implements Action {
    }

    /**
     * Tell something once for good: the event is noted only by the first controller to record {@code key} in the
     * store, so neither a restart nor a second controller tells it again.
     */
    record Notice(String key, dev.spotkeeper.controller.ControllerEvent.Kind kind, String message,
                  dev.spotkeeper.core.store.EventFields fields) implements Action {
        public Notice {
            requireNonNull(key, "key is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(message, "message is null");
            requireNonNull(fields, "fields is null");
        }
    }

    /** Point the service's stable address at its primary, which serves (allocating the address first). */
    record Endpoint(String instanceId) implements Action {
        public Endpoint {
            requireNonNull(instanceId, "instanceId is null");
        }
    }

    /** Weigh a move of the one instance doing the work: to on-demand for the deadline, or to a cheaper pool. */
    record ConsiderMove(String instanceId) implements Action {
        public ConsiderMove {
            requireNonNull(instanceId, "instanceId is null");
        }
    }

    /**
     * A hand-over from the on-demand instance {@code instanceId} to {@code replacement} that will not happen (the spot
     * instance was lost or never reported before it was let start): the replacement goes, the on-demand one keeps the job.
     */
    record DropHandOver(String instanceId, String replacement, String why) implements Action {
        public DropHandOver {
            requireNonNull(instanceId, "instanceId is null");
            requireNonNull(replacement, "replacement is null");
            requireNonNull(why, "why is null");
        }
    }

    /**
     * Look at what a service's backup in S3 leaves at risk on {@code instanceId}, its primary: while it serves, when it
     * is asked to hand over, when it is gone without handing over (DATA_AT_RISK, told once per cause).
     */
    record CheckData(String instanceId, CheckData.When when) implements Action {
        /** What happens to the primary. */
        public enum When { SERVING, HANDING_OVER, LOST }

        public CheckData {
            requireNonNull(instanceId, "instanceId is null");
            requireNonNull(when, "when is null");
        }
    }

    /**
     * Apply a fleet's steps (made by {@link FleetPlanner} from the pass's {@link FleetView}) and record what they did
     * with the workload: the group's ARNs, the detached instances, the capacity news.
     */
    record Fleet(java.util.List<FleetPlanner.Step> steps, java.util.Optional<FleetPlanner.Capacity> capacity)
            implements Action {
        public Fleet {
            steps = java.util.List.copyOf(steps);
            requireNonNull(capacity, "capacity is null");
        }
    }
}
