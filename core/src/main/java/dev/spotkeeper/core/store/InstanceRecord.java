package dev.spotkeeper.core.store;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.lifecycle.InstanceState;
import java.time.Instant;
import java.util.Optional;

/**
 * What the controller keeps about one instance of a workload. {@code replaces} and {@code replacedBy} link an
 * instance with its replacement (empty when none); {@code version} increases with every stored change and is
 * what conditional writes compare. {@code interruptedAt} is when AWS took (or warned it would take) a spot instance
 * back; it is stored so that a restarted controller still avoids the pools that just interrupted it.
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
        Optional<Instant> interruptedAt) {

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
    }

    /** An instance not interrupted (yet). */
    public InstanceRecord(String instanceId, String workload, String poolKey, boolean spot, double pricePerHour,
                          InstanceState state, String replaces, String replacedBy, Instant launchedAt,
                          Instant updatedAt, long version) {
        this(instanceId, workload, poolKey, spot, pricePerHour, state, replaces, replacedBy, launchedAt, updatedAt,
                version, Optional.empty());
    }

    public InstanceRecord withState(InstanceState next, Instant at) {
        return new InstanceRecord(instanceId, workload, poolKey, spot, pricePerHour, next, replaces, replacedBy, launchedAt, at, version,
                interruptedAt);
    }

    public InstanceRecord withReplacedBy(String replacement, Instant at) {
        return new InstanceRecord(instanceId, workload, poolKey, spot, pricePerHour, state, replaces, replacement, launchedAt, at, version,
                interruptedAt);
    }

    public InstanceRecord withVersion(long v) {
        return new InstanceRecord(instanceId, workload, poolKey, spot, pricePerHour, state, replaces, replacedBy, launchedAt, updatedAt, v,
                interruptedAt);
    }

    /** The first interruption is the one that counts; a later warning for the same instance keeps it. */
    public InstanceRecord withInterruptedAt(Instant at) {
        if (interruptedAt.isPresent()) {
            return this;
        }
        return new InstanceRecord(instanceId, workload, poolKey, spot, pricePerHour, state, replaces, replacedBy,
                launchedAt, updatedAt, version, Optional.of(at));
    }
}
