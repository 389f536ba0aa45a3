package dev.spotkeeper.core.signals;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The current Linux spot price of one instance type in one AZ, as the price history reports it.
 *
 * @param azName the AZ name ({@code us-east-1a}); the price history names AZs, it does not give their ids
 * @param time when this price took effect (prices change rarely, so this may be days ago)
 */
public record SpotPrice(String region, String azName, String instanceType, double pricePerHour, Instant time) {
    public SpotPrice {
        requireNonNull(region, "region is null");
        requireNonNull(azName, "azName is null");
        requireNonNull(instanceType, "instanceType is null");
        requireNonNull(time, "time is null");
        if (!(pricePerHour >= 0) || Double.isInfinite(pricePerHour)) {
            throw new IllegalArgumentException("spot price must be a non-negative number: " + pricePerHour);
        }
    }
}
