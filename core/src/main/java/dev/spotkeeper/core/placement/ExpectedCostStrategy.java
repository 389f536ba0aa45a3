package dev.spotkeeper.core.placement;

import dev.spotkeeper.core.market.InterruptionBand;
import dev.spotkeeper.core.market.PoolSignals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * spotkeeper's {@code expected-cost}: the expected dollars per hour of useful work.
 * <pre>
 *   λ   = λ_band × m_sps + λ_recent                       (interruptions per hour)
 *   λ_band = −ln(1 − rate of the band) / H                 (the band as a constant hazard over H hours of running, default 24)
 *   m_sps  = 1 + (10 − SPS) / 9                            (1 at SPS 10, 2 at SPS 1; 1.5 when unknown)
 *   λ_recent = the context's hazard if this pool interrupted us within the memory, else 0
 *   E   = price × (1 + λ × (d + τ/2))                      (each interruption wastes the restart d and half a checkpoint interval τ)
 * </pre>
 * The score is the cheapest candidate's E divided by this pool's E, so 1.0 is the best pool.
 */
final class ExpectedCostStrategy implements PlacementStrategy {
    private static final double UNKNOWN_BAND_RATE = 0.15;

    @Override
    public String name() {
        return "expected-cost";
    }

    @Override
    public String description() {
        return "lowest expected $ per useful hour: price raised by the restarts its interruption risk costs";
    }

    @Override
    public Scorer prepare(List<PoolSignals> candidates, PlacementContext context) {
        double min = Double.POSITIVE_INFINITY;
        for (PoolSignals p : candidates) {
            min = Math.min(min, expectedCost(p, context));
        }
        double best = min;
        return new Scorer() {
            @Override
            public double score(PoolSignals p) {
                return Strategies.priceRatio(best, expectedCost(p, context));
            }

            @Override
            public Explanation explain(PoolSignals p) {
                return ExpectedCostStrategy.this.explain(p, context, best);
            }
        };
    }

    /** −ln(1 − rate) of each band, computed once: ranking 100k pools would otherwise take a logarithm per pool. */
    private static final double[] BAND_LOG = new double[InterruptionBand.values().length];
    private static final double UNKNOWN_BAND_LOG = -Math.log1p(-UNKNOWN_BAND_RATE);

    static {
        for (InterruptionBand b : InterruptionBand.values()) {
            BAND_LOG[b.ordinal()] = -Math.log1p(-b.monthlyRate());
        }
    }

    static double bandHazard(PoolSignals p, PlacementContext c) {
        return (p.band() == null ? UNKNOWN_BAND_LOG : BAND_LOG[p.band().ordinal()]) / c.bandHorizonHours();
    }

    static double spsMultiplier(PoolSignals p) {
        return p.hasPlacementScore() ? 1 + (10.0 - p.placementScore()) / 9.0 : 1.5;
    }

    static double recentHazard(PoolSignals p, PlacementContext c) {
        if (c.recentInterruptionHazardPerHour() == 0) {
            return 0;
        }
        return c.memory().sinceLastInterruption(p.pool(), c.now()).isPresent() ? c.recentInterruptionHazardPerHour() : 0;
    }

    static double expectedCost(PoolSignals p, PlacementContext c) {
        double lambda = bandHazard(p, c) * spsMultiplier(p) + recentHazard(p, c);
        return p.spotPrice() * (1 + lambda * (c.restartOverheadHours() + c.checkpointIntervalHours() / 2));
    }

    private Explanation explain(PoolSignals p, PlacementContext c, double best) {
        double lossPerInterruption = c.restartOverheadHours() + c.checkpointIntervalHours() / 2;
        double band = bandHazard(p, c);
        double m = spsMultiplier(p);
        double recent = recentHazard(p, c);
        double e = expectedCost(p, c);
        Optional<Duration> since = c.memory().sinceLastInterruption(p.pool(), c.now());
        List<ScoreTerm> terms = new ArrayList<>();
        terms.add(new ScoreTerm("spot price $/h", p.spotPrice(), 1, p.spotPrice(), "billed while running"));
        terms.add(new ScoreTerm("band hazard /h", band, 1, band, Strategies.bandNote(p) + " read over " + (int) c.bandHorizonHours() + " h of running"));
        terms.add(new ScoreTerm("placement multiplier", m, 1, m, p.hasPlacementScore()
                ? "SPS " + p.placementScore() + "/10 for " + Strategies.requestOf(p) : "SPS unknown, counted as 1.5"));
        terms.add(new ScoreTerm("recent interruption /h", recent, 1, recent, since
                .map(d -> "interrupted us " + d.toMinutes() + " min ago (remembered " + c.memory().retention().toMinutes() + " min)")
                .orElse("no recent interruption")));
        terms.add(new ScoreTerm("restart overhead $/h", e - p.spotPrice(), 1, e - p.spotPrice(),
                String.format("λ %.6f/h × %.2f h lost per interruption × price", band * m + recent, lossPerInterruption)));
        terms.add(new ScoreTerm("expected $/useful h", e, 1, e, String.format("best candidate $%.4f", best)));
        return new Explanation(name(), Strategies.priceRatio(best, e), terms);
    }
}
