package dev.spotkeeper.core.policy;

import java.util.List;

/**
 * Decides, tick by tick, where a deadline-bound job runs. A policy sees only the present {@link Observation}
 * and whatever it kept from earlier calls; it never sees the future. One instance serves one job run, so a
 * policy may keep history in fields. The simulator and the production controller drive the same objects.
 */
public interface SchedulingPolicy {
    /** The registry name, e.g. {@code greedy}. */
    String name();

    /** The decision for the tick described by {@code observation}. Called once per tick, in time order. */
    Decision decide(Observation observation);

    /**
     * The market at one tick before the job started (oldest first), so a policy can learn from recent history
     * as a controller that has been watching the market would. The default ignores it.
     */
    default void observeMarket(double tickHours, List<ZoneView> zones) {
    }
}
