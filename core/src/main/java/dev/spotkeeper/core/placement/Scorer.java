package dev.spotkeeper.core.placement;

import dev.spotkeeper.core.market.PoolSignals;

/**
 * Scores pools for one ranking: prepared over the candidates (so it can normalise by the cheapest price or
 * the best placement score) and then a pure function of a pool. {@link #explain} must give the same score.
 */
public interface Scorer {
    /** Score in [0, 1], higher is better. */
    double score(PoolSignals pool);

    Explanation explain(PoolSignals pool);
}
