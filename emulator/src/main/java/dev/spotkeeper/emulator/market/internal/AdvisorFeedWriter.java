package dev.spotkeeper.emulator.market.internal;

import dev.spotkeeper.core.market.InstanceType;
import dev.spotkeeper.core.market.InterruptionBand;
import dev.spotkeeper.core.market.io.SpotAdvisorFeed;
import dev.spotkeeper.emulator.market.PoolView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The emulator's market as a Spot Instance Advisor feed ({@code spot-advisor-data.json}, the layout AWS publishes):
 * per region and type the band of its pools ({@code r}, from the market data, else from the shipped feed) and the
 * savings against on-demand ({@code s}, from the pools' prices now), so that the advisor adapter reads the emulator's
 * market as it reads AWS's. A type with no band anywhere is left out, as AWS leaves out what it has not measured.
 */
final class AdvisorFeedWriter {
    private AdvisorFeedWriter() {
    }

    static Map<String, Object> feed(List<PoolView> pools, SpotAdvisorFeed shipped) {
        Map<String, Map<String, List<PoolView>>> byRegion = new TreeMap<>();
        Map<String, Object> types = new TreeMap<>();
        for (PoolView p : pools) {
            byRegion.computeIfAbsent(p.region(), r -> new TreeMap<>())
                    .computeIfAbsent(p.type().name(), t -> new java.util.ArrayList<>()).add(p);
        }
        Map<String, Object> advisor = new TreeMap<>();
        byRegion.forEach((region, byType) -> {
            Map<String, Object> linux = new TreeMap<>();
            byType.forEach((type, list) -> band(list, shipped.linux(region, type)).ifPresent(band -> {
                linux.put(type, Map.of("r", band.index(), "s", savings(list)));
                InstanceType t = list.get(0).type();
                types.put(type, Map.of("cores", t.vcpus(), "ram_gb", t.memoryGib(), "emr", false));
            }));
            advisor.put(region, Map.of("Linux", linux));
        });
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("global_rate", "<10%");
        root.put("ranges", List.of(range(0, "<5%", 0, 5), range(1, "5-10%", 6, 10), range(2, "10-15%", 11, 15),
                range(3, "15-20%", 16, 20), range(4, ">20%", 21, 100)));
        root.put("instance_types", types);
        root.put("spot_advisor", advisor);
        return root;
    }

    private static Optional<InterruptionBand> band(List<PoolView> pools, Optional<SpotAdvisorFeed.Entry> shipped) {
        for (PoolView p : pools) {
            if (p.band() != null) {
                return Optional.of(p.band());
            }
        }
        return shipped.map(SpotAdvisorFeed.Entry::band);
    }

    /** Savings in whole percent of the type's average spot price against its on-demand price, as the feed has them. */
    private static int savings(List<PoolView> pools) {
        double spot = 0;
        double onDemand = 0;
        for (PoolView p : pools) {
            spot += p.spotPrice();
            onDemand += p.onDemandPrice();
        }
        return onDemand <= 0 ? 0 : (int) Math.round(Math.max(0, 100 * (1 - spot / onDemand)));
    }

    private static Map<String, Object> range(int index, String label, int min, int max) {
        return Map.of("index", index, "label", label, "dots", index, "max", max, "min", min);
    }
}
