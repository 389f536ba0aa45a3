package dev.spotkeeper.core.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link SpotkeeperPolicy} knows of the zones it may use, and what a start of spot in each is worth: the
 * hazard of losing spot there (learnt per zone, shrunk towards the job's pooled experience), the chance spot is
 * there now, and the cost of a start per useful hour.
 */
final class SpotMarket {
    /** The pooled hazard counts as a day of watching at the prior spell: one zone says little about the others. */
    private static final double POOL_WEIGHT_HOURS = 24;

    /**
     * A start of spot in one zone, priced: {@code costPerUsefulHour} is what the start costs per hour of progress
     * (billed hours at the price, at least the tick it is made in, and egress, over the hours past the restart);
     * {@code rank} adds what its region may cost later and orders the options.
     */
    record Option(ZoneView zone, double chance, double startHours, double costPerUsefulHour, double rank,
                  double usefulHours, double lossChance) {
        String name() {
            return zone.zone();
        }
    }

    private final SpotkeeperPolicy.Tuning tuning;
    private final Map<String, ZoneBelief> beliefs = new HashMap<>();
    private long step;

    SpotMarket(SpotkeeperPolicy.Tuning tuning) {
        this.tuning = tuning;
    }

    /** Starts a new tick; what follows in it is learnt as of that tick. */
    void tick() {
        step++;
    }

    /** Records what {@code zones} show of spot now; unknown zones teach nothing. */
    void learn(List<ZoneView> zones, double tickHours) {
        for (ZoneView z : zones) {
            if (z.availability() != SpotAvailability.UNKNOWN) {
                belief(z.zone()).seen(step, z.available(), tickHours);
            }
        }
    }

    private ZoneBelief belief(String zone) {
        return beliefs.computeIfAbsent(zone, k -> new ZoneBelief());
    }

    /** Losses per hour of spot over every zone watched, shrunk towards the prior spell. */
    double pooledHazard() {
        double losses = 0;
        double hours = 0;
        for (ZoneBelief b : beliefs.values()) {
            losses += b.losses();
            hours += b.upHours();
        }
        return (losses + POOL_WEIGHT_HOURS / tuning.priorSpellHours()) / (hours + POOL_WEIGHT_HOURS);
    }

    /**
     * Every zone that may have spot now, in the order to ask: those where spot is likely first (a tick allows only a
     * few refusals), then by rank, the likelier one first on a tie.
     */
    List<Option> options(Observation o) {
        double pooled = pooledHazard();
        List<Option> out = new ArrayList<>();
        for (ZoneView z : o.zones()) {
            if (z.mayHaveSpot()) {
                out.add(price(o, z, pooled, z.available() ? 1 : chance(z, o.tickHours())));
            }
        }
        out.sort(Comparator.comparing((Option z) -> z.chance() < tuning.minChance()).thenComparingDouble(Option::rank)
                .thenComparing(Option::chance, Comparator.reverseOrder()));
        return out;
    }

    /** The lowest cost per useful hour any zone would offer now if it had spot; on-demand's price at most. */
    double cheapest(Observation o) {
        double pooled = pooledHazard();
        double best = o.onDemandPrice();
        for (ZoneView z : o.zones()) {
            best = Math.min(best, price(o, z, pooled, 1).costPerUsefulHour());
        }
        return best;
    }

    /** The chance spot is there now: a hint when the market gives one, else the prior, then what was seen. */
    private double chance(ZoneView z, double tickHours) {
        double start = z.placementScore() > 0 ? z.placementScore() / 10.0 : tuning.priorAvailability();
        return belief(z.zone()).chanceAt(step, tickHours, start, tuning.recoveryHours());
    }

    /**
     * Spot's life in a zone is taken as exponential with the zone's hazard, lowered by {@code optimism} standard
     * errors (a zone tried only a few times is not written off), so a start there is billed
     * {@code (1 − e^(−λ(d+W))) / λ} hours and makes {@code e^(−λd) (1 − e^(−λW)) / λ} hours of progress (restart d,
     * work left W).
     */
    private Option price(Observation o, ZoneView z, double pooled, double chance) {
        ZoneBelief b = belief(z.zone());
        double hazard = Math.max(1e-6, b.hazard(pooled, tuning.priorWeightHours())
                / (1 + tuning.optimism() / Math.sqrt(1 + b.losses())));
        double d = o.startHours(z.region());
        double left = o.workLeftHours();
        double billed = (1 - Math.exp(-hazard * (d + left))) / hazard;
        double useful = Math.exp(-hazard * d) * (1 - Math.exp(-hazard * left)) / hazard;
        double loss = 1 - Math.exp(-hazard * (d + left));
        double paid = z.spotPrice() * Math.max(billed, o.tickHours()) + o.egressTo(z.region());
        double cost = useful <= 1e-9 ? Double.POSITIVE_INFINITY : paid / useful;
        double rank = useful <= 1e-9 ? Double.POSITIVE_INFINITY : (paid + loss * trapCost(o, z)) / useful;
        return new Option(z, chance, d, cost, rank, useful, loss);
    }

    /**
     * What being in {@code z}'s region is expected to cost once spot there goes: no other zone of the region has
     * spot with the chance that all of them lack it, and then it costs the cheaper of moving the checkpoint out and
     * riding the gap out on on-demand in the region. A region with more zones is a safer place for a checkpoint.
     */
    private double trapCost(Observation o, ZoneView z) {
        double alone = 1;
        for (ZoneView other : o.zones()) {
            if (other.region().equals(z.region()) && !other.zone().equals(z.zone())) {
                alone *= 1 - belief(other.zone()).share(tuning.priorAvailability());
            }
        }
        double out = Double.POSITIVE_INFINITY;
        for (String region : o.onDemandPrices().keySet()) {
            if (!region.equals(z.region())) {
                out = Math.min(out, o.moves().egressDollars(z.region(), region));
            }
        }
        double onDemand = o.onDemandPrice(z.region());
        double gap = onDemand * o.moves().startOverheadHours(z.region(), z.region())
                + Math.max(0, onDemand - z.spotPrice()) * tuning.recoveryHours();
        return alone * Math.min(out, gap);
    }
}
