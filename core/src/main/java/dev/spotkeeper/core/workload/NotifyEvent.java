package dev.spotkeeper.core.workload;

import java.util.Locale;
import java.util.Optional;

/**
 * What a workload's owner can be told about, by the names the workload file's {@code notify.on} uses. Each is one
 * or a few of the controller's event kinds ({@code dev.spotkeeper.notify} maps them).
 */
public enum NotifyEvent {
    /** An instance was launched: pool, price, on-demand price, why this pool. */
    LAUNCHED,
    /** The job runs on an instance (its agent reported it started). */
    RUNNING,
    /** AWS recommends moving off the instance (rebalance recommendation). */
    REBALANCE,
    /** The two-minute interruption warning, with the time left. */
    WARNING,
    /** The agent started saving the job's state to leave the instance. */
    EVACUATING,
    /** The evacuation finished: the checkpoint is committed. */
    EVACUATED,
    /** The job started again on an instance, from a checkpoint (or fresh). */
    RESTORED,
    /** The workload moved to another pool, proactively or for its deadline. */
    RELOCATED,
    /** The workload switched to or from on-demand (deadline, capacity). */
    ON_DEMAND,
    /** The job finished: run time, cost, savings against all on-demand. */
    COMPLETED,
    /** The workload failed, with why. */
    FAILED,
    /** A budget or maximum duration was reached, or will be soon. */
    LIMIT,
    /** Its owner cancelled the workload. */
    CANCELLED,
    /** A service's primary moved to another instance: from, to, how long writes were refused. */
    PRIMARY_MOVED,
    /** A service's binary log is shipped behind its interval: recent writes could be lost. */
    DATA_AT_RISK,
    /** A fleet has fewer healthy replicas than it wants. */
    CAPACITY_LOW,
    /** A fleet has its desired capacity again. */
    CAPACITY_RESTORED;

    /** The name in the workload file: {@code on-demand} for {@link #ON_DEMAND}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<NotifyEvent> byWireName(String s) {
        for (NotifyEvent e : values()) {
            if (e.wireName().equals(s)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
