package dev.spotkeeper.core.market;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * What the market says about one pool at one time.
 *
 * @param onDemandPrice USD per hour, or NaN when unknown
 * @param placementScore Spot Placement Score 1–10, or 0 when unknown (never invented)
 * @param placementRequest the request the score answered (types, capacity, single-AZ), empty when unknown
 * @param band interruption-frequency band, or null when unknown
 */
public record PoolSignals(
        Pool pool,
        InstanceType type,
        Instant time,
        double spotPrice,
        double onDemandPrice,
        int placementScore,
        String placementRequest,
        InterruptionBand band) {

    public PoolSignals {
        requireNonNull(pool, "pool is null");
        requireNonNull(type, "type is null");
        requireNonNull(time, "time is null");
        requireNonNull(placementRequest, "placementRequest is null");
        if (!pool.instanceType().equals(type.name())) {
            throw new IllegalArgumentException("pool " + pool + " does not match type " + type.name());
        }
        if (!(spotPrice >= 0)) {
            throw new IllegalArgumentException("spot price must be a non-negative number: " + spotPrice);
        }
        if (placementScore < 0 || placementScore > 10) {
            throw new IllegalArgumentException("placement score must be 0 (unknown) or 1..10: " + placementScore);
        }
    }

    /** Savings against on-demand in percent, or NaN when the on-demand price is unknown. */
    public double savingsPercent() {
        if (Double.isNaN(onDemandPrice) || onDemandPrice <= 0) {
            return Double.NaN;
        }
        return 100.0 * (1.0 - spotPrice / onDemandPrice);
    }

    public boolean hasPlacementScore() {
        return placementScore > 0;
    }

    public PoolSignals withPlacementScore(int score, String request) {
        return new PoolSignals(pool, type, time, spotPrice, onDemandPrice, score, request, band);
    }
}
