package dev.spotkeeper.core.store;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.protocol.Tags;
import java.time.Instant;
import java.util.Optional;

/**
 * What the controller keeps about one instance of a workload. {@code replaces} and {@code replacedBy} link an
 * instance with its replacement (empty when none); {@code version} increases with every stored change and is
 * what conditional writes compare. {@code interruptedAt} is when AWS took (or warned it would take) a spot instance
 * back; it is stored so that a restarted controller still avoids the pools that just interrupted it.
 *
 * <p>{@code start} and {@code committed} fence the job so that one instance at a time runs it: {@code start} is what
 * the instance was told to start the job from ({@code newest}, or a checkpoint id; empty while its agent waits and
 * the job has never run there), {@code committed} the checkpoint its agent committed when it evacuated, after it had
 * stopped the job (empty when it never evacuated). Both outlive the instance, so a restarted controller still knows
 * which instances ever ran the job and which of them stopped it.
 *
 * <p>{@code role} and {@code slot} say why the instance exists and which of the workload's slots it serves (see
 * {@link InstanceRole}); a record stored before they were reads as slot 0, a replacement when {@code replaces} names
 * an instance and the head otherwise.
 */
public record InstanceRecord(
        String instanceId,
        String workload,
        String poolKey,
        boolean spot,
        double pricePerHour,
        InstanceState state,
        String replaces,
        String replacedBy,
        Instant launchedAt,
        Instant updatedAt,
        long version,
        Optional<Instant> interruptedAt,
        String start,
        String committed,
        InstanceRole role,
        int slot) {

    /** The {@code start} of an instance that starts from the newest complete checkpoint. */
    public static final String NEWEST = Tags.NEWEST;

    public InstanceRecord {
        requireNonNull(instanceId, "instanceId is null");
        requireNonNull(workload, "workload is null");
        requireNonNull(poolKey, "poolKey is null");
        requireNonNull(state, "state is null");
        requireNonNull(replaces, "replaces is null");
        requireNonNull(replacedBy, "replacedBy is null");
        requireNonNull(launchedAt, "launchedAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
        requireNonNull(interruptedAt, "interruptedAt is null");
        requireNonNull(start, "start is null");
        requireNonNull(committed, "committed is null");
        requireNonNull(role, "role is null");
        if (slot < 0) {
            throw new IllegalArgumentException("slot must be >= 0, was " + slot);
        }
    }

    /** An instance of slot 0, whose role follows from {@code replaces} (as records stored before roles read). */
    public InstanceRecord(String instanceId, String workload, String poolKey, boolean spot, double pricePerHour,
                          InstanceState state, String replaces, String replacedBy, Instant launchedAt,
                          Instant updatedAt, long version, Optional<Instant> interruptedAt, String start,
                          String committed) {
        this(instanceId, workload, poolKey, spot, pricePerHour, state, replaces, replacedBy, launchedAt, updatedAt,
                version, interruptedAt, start, committed, InstanceRole.of(replaces), 0);
    }

    /** An instance not interrupted (yet), whose job has not been started. */
    public InstanceRecord(String instanceId, String workload, String poolKey, boolean spot, double pricePerHour,
                          InstanceState state, String replaces, String replacedBy, Instant launchedAt,
                          Instant updatedAt, long version) {
        this(instanceId, workload, poolKey, spot, pricePerHour, state, replaces, replacedBy, launchedAt, updatedAt,
                version, Optional.empty(), "", "");
    }

    /** An instance whose job has not been started. */
    public InstanceRecord(String instanceId, String workload, String poolKey, boolean spot, double pricePerHour,
                          InstanceState state, String replaces, String replacedBy, Instant launchedAt,
                          Instant updatedAt, long version, Optional<Instant> interruptedAt) {
        this(instanceId, workload, poolKey, spot, pricePerHour, state, replaces, replacedBy, launchedAt, updatedAt,
                version, interruptedAt, "", "");
    }

    public InstanceRecord withState(InstanceState next, Instant at) {
        return new InstanceRecord(instanceId, workload, poolKey, spot, pricePerHour, next, replaces, replacedBy,
                launchedAt, at, version, interruptedAt, start, committed, role, slot);
    }

    public InstanceRecord withReplacedBy(String replacement, Instant at) {
        return new InstanceRecord(instanceId, workload, poolKey, spot, pricePerHour, state, replaces, replacement,
                launchedAt, at, version, interruptedAt, start, committed, role, slot);
    }

    public InstanceRecord withVersion(long v) {
        return new InstanceRecord(instanceId, workload, poolKey, spot, pricePerHour, state, replaces, replacedBy,
                launchedAt, updatedAt, v, interruptedAt, start, committed, role, slot);
    }

    /** The first interruption is the one that counts; a later warning for the same instance keeps it. */
    public InstanceRecord withInterruptedAt(Instant at) {
        if (interruptedAt.isPresent()) {
            return this;
        }
        return new InstanceRecord(instanceId, workload, poolKey, spot, pricePerHour, state, replaces, replacedBy,
                launchedAt, updatedAt, version, Optional.of(at), start, committed, role, slot);
    }

    /** Told to start the job from {@code from} ({@link #NEWEST} or a checkpoint id). */
    public InstanceRecord withStart(String from) {
        return new InstanceRecord(instanceId, workload, poolKey, spot, pricePerHour, state, replaces, replacedBy,
                launchedAt, updatedAt, version, interruptedAt, from, committed, role, slot);
    }

    /** Evacuated: its job stopped and {@code checkpoint} (empty when it had none to commit) is committed. */
    public InstanceRecord withCommitted(String checkpoint, InstanceState next, Instant at) {
        return new InstanceRecord(instanceId, workload, poolKey, spot, pricePerHour, next, replaces, replacedBy,
                launchedAt, at, version, interruptedAt, start, checkpoint, role, slot);
    }

    /** In {@code slot}, as {@code role}. */
    public InstanceRecord withRole(InstanceRole next, int inSlot) {
        return new InstanceRecord(instanceId, workload, poolKey, spot, pricePerHour, state, replaces, replacedBy,
                launchedAt, updatedAt, version, interruptedAt, start, committed, next, inSlot);
    }

    /**
     * Bought as {@code asSpot} at {@code price} dollars an hour: corrects a record made before the cloud said how the
     * instance was bought (a fleet member recorded from its Auto Scaling group, which does not say).
     */
    public InstanceRecord withLifecycle(boolean asSpot, double price, Instant at) {
        return new InstanceRecord(instanceId, workload, poolKey, asSpot, price, state, replaces, replacedBy,
                launchedAt, at, version, interruptedAt, start, committed, role, slot);
    }

    /** True once the instance was told to start the job: it may run it, unless it evacuated. */
    public boolean released() {
        return !start.isEmpty();
    }
}
