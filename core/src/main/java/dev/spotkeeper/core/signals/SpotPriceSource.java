package dev.spotkeeper.core.signals;

import java.util.List;

/** Current per-AZ spot prices (EC2 {@code DescribeSpotPriceHistory}). */
public interface SpotPriceSource {
    /**
     * The latest Linux/UNIX price of each requested type in each AZ of the region where it is offered: one
     * entry per AZ and type, the newest one. An empty {@code instanceTypes} asks for every type offered there.
     *
     * @throws dev.spotkeeper.core.SpotkeeperException when the prices cannot be fetched
     */
    List<SpotPrice> latestPrices(String region, List<String> instanceTypes);
}
