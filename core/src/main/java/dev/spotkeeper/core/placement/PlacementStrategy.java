package dev.spotkeeper.core.placement;

import dev.spotkeeper.core.market.PoolSignals;
import java.util.List;

/**
 * A way to rank pools: a pure function of the requirements (already applied to the candidates), the
 * signals, and the memory of recent interruptions carried in the context.
 */
public interface PlacementStrategy {
    String name();

    /** One line that says what the strategy favours. */
    String description();

    Scorer prepare(List<PoolSignals> candidates, PlacementContext context);
}
