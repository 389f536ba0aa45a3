package dev.spotkeeper.core.lifecycle;

import java.util.EnumSet;
import java.util.Set;

/** Where a workload's instance is in its life, as the controller sees it. */
public enum InstanceState {
    /** Launch requested; not yet running the agent. */
    PENDING,
    /** Running and doing the work. */
    RUNNING,
    /** AWS warned us (interruption warning or rebalance recommendation); the replacement is being launched. */
    AT_RISK,
    /** The agent has been asked to commit its state (checkpoint, backup) and is doing so. */
    EVACUATING,
    /** The state is safely committed; the instance may go at any moment. */
    EVACUATED,
    /** Gone, by our hand or AWS's. */
    TERMINATED;

    public boolean isTerminal() {
        return this == TERMINATED;
    }

    /** The states this one may move to. Every state may end in TERMINATED: AWS can take any instance. */
    public Set<InstanceState> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(RUNNING, AT_RISK, TERMINATED);
            case RUNNING -> EnumSet.of(AT_RISK, EVACUATING, TERMINATED);
            case AT_RISK -> EnumSet.of(EVACUATING, EVACUATED, TERMINATED);
            case EVACUATING -> EnumSet.of(EVACUATED, TERMINATED);
            case EVACUATED -> EnumSet.of(TERMINATED);
            case TERMINATED -> EnumSet.noneOf(InstanceState.class);
        };
    }

    public boolean canMoveTo(InstanceState target) {
        return next().contains(target);
    }
}
