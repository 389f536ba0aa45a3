package dev.spotkeeper.emulator.market;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * One recorded pool: availability (true = a spot instance could be obtained) and spot price per tick.
 *
 * @param azName the zone as recorded, e.g. {@code us-east-1a}
 */
public record TraceSeries(String region, String azName, String instanceType, double onDemandPrice, Duration tick,
                          boolean[] availability, double[] prices) {
    public TraceSeries {
        requireNonNull(region, "region is null");
        requireNonNull(azName, "azName is null");
        requireNonNull(instanceType, "instanceType is null");
        requireNonNull(tick, "tick is null");
        availability = availability.clone();
        prices = prices.clone();
        if (availability.length == 0 || availability.length != prices.length) {
            throw new IllegalArgumentException("a trace needs as many prices as availability rows, and at least one");
        }
        if (tick.isZero() || tick.isNegative()) {
            throw new IllegalArgumentException("tick must be positive: " + tick);
        }
    }

    public int size() {
        return availability.length;
    }

    public boolean available(int row) {
        return availability[row];
    }

    public double price(int row) {
        return prices[row];
    }
}
