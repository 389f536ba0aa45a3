package dev.spotkeeper.controller.internal;

import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.core.store.WorkloadRecord;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Compare-and-set updates of stored records: read, change, write if the version is unchanged, retry on a lost
 * race. Transitions follow {@link InstanceState#next()}; one that is not allowed (a late or repeated event) is an
 * outcome — false, nothing written — never an error.
 */
final class Records {
    private static final int ATTEMPTS = 5;

    private final StateStore store;

    Records(StateStore store) {
        this.store = store;
    }

    /** Moves the instance to {@code target} if its current state allows; false when it does not or it is unknown. */
    boolean move(String instanceId, InstanceState target, Instant at) {
        return updateInstance(instanceId, r -> r.state().canMoveTo(target) ? r.withState(target, at) : r);
    }

    /**
     * A service's move from {@code instanceId} to {@code replacement} was abandoned: the old primary, at risk or
     * handing over, serves again (RUNNING, replaced by nobody). The one step back the state machine does not
     * offer, taken only here and only while the record still names that replacement. False when nothing changed.
     */
    boolean moveAbandoned(String instanceId, String replacement, Instant at) {
        return updateInstance(instanceId, r -> !replacement.isEmpty() && r.replacedBy().equals(replacement)
                && (r.state() == InstanceState.AT_RISK || r.state() == InstanceState.EVACUATING)
                ? r.withReplacedBy("", at).withState(InstanceState.RUNNING, at) : r);
    }

    /** Records what the instance was told to start the job from (the first time only). */
    void started(String instanceId, String from) {
        updateInstance(instanceId, r -> r.released() ? r : r.withStart(from));
    }

    /**
     * The agent stopped the job and committed {@code checkpoint}: EVACUATED when the state machine allows, and the
     * checkpoint kept even when it does not (a report that comes after the instance was given up and terminated
     * still says its job stopped). True when the instance moved to EVACUATED.
     */
    boolean evacuated(String instanceId, String checkpoint, Instant at) {
        boolean[] moves = {false};
        boolean written = updateInstance(instanceId, r -> {
            moves[0] = r.state().canMoveTo(InstanceState.EVACUATED);
            String kept = r.committed().isEmpty() ? checkpoint : r.committed();
            if (!moves[0] && kept.equals(r.committed())) {
                return r;
            }
            return r.withCommitted(kept, moves[0] ? InstanceState.EVACUATED : r.state(), moves[0] ? at : r.updatedAt());
        });
        return written && moves[0];
    }

    /** Stores when the instance was interrupted (the first time only), so a restarted controller remembers it. */
    void interrupted(String instanceId, Instant at) {
        updateInstance(instanceId, r -> r.withInterruptedAt(at));
    }

    /** Bought as {@code spot} at {@code price} an hour, as the cloud lists it; true when that changed the record. */
    boolean lifecycle(String instanceId, boolean spot, double price, Instant at) {
        return updateInstance(instanceId, r -> r.spot() == spot ? r : r.withLifecycle(spot, price, at));
    }

    /** Sets {@code replacedBy} unless the instance already names a replacement; true when it names this one. */
    boolean link(String instanceId, String replacement, Instant at) {
        return updateInstance(instanceId, r -> r.replacedBy().isEmpty() ? r.withReplacedBy(replacement, at) : r)
                || store.instance(instanceId).map(r -> r.replacedBy().equals(replacement)).orElse(false);
    }

    /**
     * Clears {@code replacedBy} when it names {@code replacement}: a hand-over that did not happen leaves the instance
     * doing the work as before. True when it was cleared.
     */
    boolean unlink(String instanceId, String replacement, Instant at) {
        return updateInstance(instanceId, r -> r.replacedBy().equals(replacement) ? r.withReplacedBy("", at) : r);
    }

    /**
     * Applies {@code change} to the stored instance and writes it if its version is unchanged, retrying a lost
     * race; the change returns its input to mean "nothing to do". True when a change was written.
     */
    private boolean updateInstance(String instanceId, UnaryOperator<InstanceRecord> change) {
        for (int i = 0; i < ATTEMPTS; i++) {
            Optional<InstanceRecord> current = store.instance(instanceId);
            if (current.isEmpty()) {
                return false;
            }
            InstanceRecord next = change.apply(current.get());
            if (next == current.get()) {
                return false;
            }
            if (store.updateInstance(next)) {
                return true;
            }
        }
        return false;
    }

    /** Applies {@code change} to the workload; the change may return its input unchanged to mean "nothing to do". */
    Optional<WorkloadRecord> updateWorkload(String name, UnaryOperator<WorkloadRecord> change) {
        for (int i = 0; i < ATTEMPTS; i++) {
            Optional<WorkloadRecord> current = store.workload(name);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            WorkloadRecord next = change.apply(current.get());
            if (next == current.get()) {
                return current;
            }
            if (store.updateWorkload(next)) {
                return store.workload(name);
            }
        }
        return Optional.empty();
    }
}
