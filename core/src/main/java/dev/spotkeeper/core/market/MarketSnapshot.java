package dev.spotkeeper.core.market;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The signals of many pools, taken together at (about) one time, and where they came from. */
public record MarketSnapshot(String source, Instant time, List<PoolSignals> pools) {
    public MarketSnapshot {
        requireNonNull(source, "source is null");
        requireNonNull(time, "time is null");
        pools = List.copyOf(pools);
    }

    public Set<String> regions() {
        Set<String> regions = new TreeSet<>();
        for (PoolSignals p : pools) {
            regions.add(p.pool().region());
        }
        return regions;
    }

    public Set<String> instanceTypes() {
        Set<String> types = new TreeSet<>();
        for (PoolSignals p : pools) {
            types.add(p.pool().instanceType());
        }
        return types;
    }

    public Set<String> zones() {
        Set<String> zones = new TreeSet<>();
        for (PoolSignals p : pools) {
            if (!p.pool().azId().isEmpty()) {
                zones.add(p.pool().azId());
            }
            if (!p.pool().azName().isEmpty()) {
                zones.add(p.pool().azName());
            }
        }
        return zones;
    }
}
