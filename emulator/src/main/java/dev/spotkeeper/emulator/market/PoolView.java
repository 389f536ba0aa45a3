package dev.spotkeeper.emulator.market;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.market.InstanceType;
import dev.spotkeeper.core.market.InterruptionBand;

/**
 * One pool as the market stands now.
 *
 * @param onDemandPrice USD per hour (estimated from the snapshot's savings when the data has none)
 * @param placementScore 1–10 as the market data has it, 0 when unknown
 * @param band the interruption band, null when unknown (trace-backed pools)
 */
public record PoolView(String region, String azId, String azName, InstanceType type, double spotPrice,
                       double onDemandPrice, boolean available, int placementScore, InterruptionBand band,
                       boolean traceBacked) {
    public PoolView {
        requireNonNull(region, "region is null");
        requireNonNull(azId, "azId is null");
        requireNonNull(azName, "azName is null");
        requireNonNull(type, "type is null");
    }

    public String key() {
        return SpotMarket.key(region, azName, type.name());
    }
}
