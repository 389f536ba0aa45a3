package dev.spotkeeper.emulator.market;

import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.PoolSignals;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The emulated account's AZ names. AWS maps AZ ids to names per account; the emulator uses one fixed mapping:
 * a region's AZ ids in numeric order take the letters a, b, c… ({@code use1-az1} → {@code us-east-1a},
 * {@code use1-az6} → {@code us-east-1f}), so traces recorded by AZ name and snapshots keyed by AZ id line up.
 */
public final class AzNames {
    /** One zone: its id, its name and its region. */
    public record Zone(String region, String id, String name) {
    }

    private final Map<String, List<Zone>> byRegion;

    private AzNames(Map<String, List<Zone>> byRegion) {
        this.byRegion = byRegion;
    }

    public static AzNames of(MarketSnapshot market) {
        Map<String, TreeSet<String>> ids = new TreeMap<>();
        for (PoolSignals p : market.pools()) {
            if (!p.pool().azId().isEmpty()) {
                ids.computeIfAbsent(p.pool().region(), r -> new TreeSet<>()).add(p.pool().azId());
            }
        }
        Map<String, List<Zone>> zones = new LinkedHashMap<>();
        for (Map.Entry<String, TreeSet<String>> e : ids.entrySet()) {
            List<String> sorted = new ArrayList<>(e.getValue());
            sorted.sort(Comparator.comparingInt(AzNames::number).thenComparing(Comparator.naturalOrder()));
            List<Zone> list = new ArrayList<>();
            for (int i = 0; i < sorted.size() && i < 26; i++) {
                list.add(new Zone(e.getKey(), sorted.get(i), e.getKey() + (char) ('a' + i)));
            }
            zones.put(e.getKey(), List.copyOf(list));
        }
        return new AzNames(Collections.unmodifiableMap(zones));
    }

    private static int number(String azId) {
        int i = azId.lastIndexOf("-az");
        try {
            return i < 0 ? Integer.MAX_VALUE : Integer.parseInt(azId.substring(i + 3));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    public List<String> regions() {
        return List.copyOf(byRegion.keySet());
    }

    public List<Zone> zones(String region) {
        return byRegion.getOrDefault(region, List.of());
    }

    public List<Zone> all() {
        List<Zone> all = new ArrayList<>();
        byRegion.values().forEach(all::addAll);
        return all;
    }

    /** The zone named or identified by {@code zone} (either form). */
    public Optional<Zone> find(String zone) {
        for (List<Zone> list : byRegion.values()) {
            for (Zone z : list) {
                if (z.name().equals(zone) || z.id().equals(zone)) {
                    return Optional.of(z);
                }
            }
        }
        return Optional.empty();
    }
}
