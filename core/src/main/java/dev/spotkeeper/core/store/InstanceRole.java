package dev.spotkeeper.core.store;

/**
 * Why an instance of a workload exists, with its slot ({@link InstanceRecord#slot()}): a workload holds one instance
 * doing the work per slot (a job has one slot; a fleet of N replicas has N), and the reconciler of each kind decides
 * per slot, so two slots' instances are never taken for two instances doing the same work.
 */
public enum InstanceRole {
    /** The first instance launched for a slot. */
    HEAD,
    /** Launched to take over a slot from an instance that is going ({@link InstanceRecord#replaces()} names it). */
    REPLACEMENT,
    /** One of the several instances that serve at once, one per slot (a fleet). */
    REPLICA,
    /** Kept ready to take over a slot (a database's standby), not doing the work. */
    STANDBY;

    /** The role of a record stored before roles were: a replacement when it names the instance it replaces. */
    public static InstanceRole of(String replaces) {
        return replaces.isEmpty() ? HEAD : REPLACEMENT;
    }
}
