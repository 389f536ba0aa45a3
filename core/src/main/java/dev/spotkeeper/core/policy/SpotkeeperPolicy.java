package dev.spotkeeper.core.policy;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * spotkeeper's policy. Ideas from "Can't Be Late" (NSDI '24) and SkyNomad: spend slack on waiting for cheap
 * spot rather than on-demand, pick the zone by the expected cost of a unit of progress there (price, plus the
 * restart and egress of getting there spread over how long spot tends to last in that zone), move a running
 * job only when the saving pays for the move, and fall back to on-demand only when the slack left would not
 * survive another wait.
 *
 * <p>The expected cost per hour of progress of a start in zone z is the price times billed hours over useful
 * hours, plus egress over useful hours, averaged over the zone's past spells that lasted as long as the
 * current one (see {@link ZoneHistory}); keeping a warm instance costs just its price. While the slack is
 * plentiful only starts scoring within a tolerance of the best zone are taken; as the slack runs down the
 * tolerance widens towards the on-demand price.
 */
public final class SpotkeeperPolicy implements SchedulingPolicy {
    /**
     * The knobs. The defaults were chosen on windows from the first half of the shipped traces and checked on
     * the second half (see docs/replay.md).
     */
    public record Tuning(double priorSpellHours, double priorWeight, double patientSlackFraction,
                         double patientPriceRatio, double switchGainPerHour, double reserveOverheads) {
        public static final Tuning DEFAULT = new Tuning(4.0, 1.0, 0.35, 1.10, 0.05, 2.0);
    }

    private final Tuning tuning;
    private final Map<String, ZoneHistory> history = new HashMap<>();
    private double initialSlack = Double.NaN;

    public SpotkeeperPolicy() {
        this(Tuning.DEFAULT);
    }

    public SpotkeeperPolicy(Tuning tuning) {
        this.tuning = requireNonNull(tuning, "tuning is null");
    }

    @Override
    public String name() {
        return "spotkeeper";
    }

    @Override
    public void observeMarket(double tickHours, List<ZoneView> zones) {
        record(zones);
    }

    private void record(List<ZoneView> zones) {
        for (ZoneView z : zones) {
            history.computeIfAbsent(z.zone(), k -> new ZoneHistory(tuning.priorSpellHours(), tuning.priorWeight()))
                    .record(z.available());
        }
    }

    @Override
    public Decision decide(Observation o) {
        double g = o.tickHours();
        record(o.zones());
        double slack = o.slackHours();
        if (Double.isNaN(initialSlack)) {
            initialSlack = Math.max(slack, g);
        }
        Decision onDemand = Decision.onDemand(o.homeRegion());
        double reserve = tuning.reserveOverheads() * o.startHours(o.homeRegion());
        if (o.mustRunOnDemand()) {
            return onDemand;
        }
        ZoneView current = heldSpot(o);
        ZoneView best = null;
        double bestScore = Double.POSITIVE_INFINITY;
        for (ZoneView z : o.zones()) {
            if (!z.available()) {
                continue;
            }
            double score = z == current ? z.spotPrice() : startScore(o, z);
            if (score < bestScore) {
                bestScore = score;
                best = z;
            }
        }
        if (o.holding() instanceof Decision.OnDemand) {
            return leaveOnDemand(o, best, slack, reserve) ? Decision.spot(best.zone()) : onDemand;
        }
        if (current != null) {
            boolean worthMoving = best != current
                    && current.spotPrice() - bestScore > tuning.switchGainPerHour() * o.onDemandPrice();
            return Decision.spot(worthMoving ? best.zone() : current.zone());
        }
        if (best != null && acceptable(o, best, slack)) {
            return Decision.spot(best.zone());
        }
        return slack < reserve ? onDemand : Decision.NONE;
    }

    private ZoneView heldSpot(Observation o) {
        if (o.holding() instanceof Decision.Spot s) {
            return o.zone(s.zone()).filter(ZoneView::available).orElse(null);
        }
        return null;
    }

    /** Expected dollars per hour of progress for a new start in {@code z}. */
    private double startScore(Observation o, ZoneView z) {
        return history.get(z.zone()).startCostPerHour(z.spotPrice(), o.egressTo(z.region()),
                o.startHours(z.region()), o.workLeftHours(), o.tickHours());
    }

    /**
     * A start is taken when it is expected to cost no more per hour of progress than the best any zone offers
     * now (as if all were available) times a tolerance. The tolerance is {@code patientPriceRatio} while the
     * slack is plentiful and widens towards the on-demand price as the slack runs down, because slack spent
     * waiting for cheap spot is worth less than on-demand hours avoided only while there is plenty of it.
     */
    private boolean acceptable(Observation o, ZoneView z, double slack) {
        double reference = Double.POSITIVE_INFINITY;
        for (ZoneView v : o.zones()) {
            reference = Math.min(reference, startScore(o, v));
        }
        double score = startScore(o, z);
        double left = slack / (tuning.patientSlackFraction() * initialSlack);
        if (left >= 1) {
            return score <= reference * tuning.patientPriceRatio();
        }
        double tolerance = tuning.patientPriceRatio() + (o.onDemandPrice() / reference - tuning.patientPriceRatio())
                * (1 - Math.max(0, left));
        return score <= reference * tolerance && z.spotPrice() < o.onDemandPrice();
    }

    /**
     * Back to spot only with slack for this start and a later return to on-demand, and when spot there is
     * expected to cost clearly less per hour of progress than staying.
     */
    private boolean leaveOnDemand(Observation o, ZoneView best, double slack, double reserve) {
        if (best == null || slack < o.startHours(best.region()) + reserve + o.tickHours()) {
            return false;
        }
        return startScore(o, best) < o.onDemandPrice() * (1 - tuning.switchGainPerHour());
    }
}
