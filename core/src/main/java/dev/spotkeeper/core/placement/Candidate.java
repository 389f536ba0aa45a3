package dev.spotkeeper.core.placement;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.market.PoolSignals;

/** A ranked pool; its explanation is computed on demand by the scorer that ranked it. */
public final class Candidate {
    private final int rank;
    private final PoolSignals signals;
    private final double score;
    private final Scorer scorer;

    Candidate(int rank, PoolSignals signals, double score, Scorer scorer) {
        this.rank = rank;
        this.signals = requireNonNull(signals, "signals is null");
        this.score = score;
        this.scorer = requireNonNull(scorer, "scorer is null");
    }

    public int rank() {
        return rank;
    }

    public PoolSignals signals() {
        return signals;
    }

    public double score() {
        return score;
    }

    public Explanation explain() {
        return scorer.explain(signals);
    }

    @Override
    public String toString() {
        return "#" + rank + " " + signals.pool() + " score " + score;
    }
}
