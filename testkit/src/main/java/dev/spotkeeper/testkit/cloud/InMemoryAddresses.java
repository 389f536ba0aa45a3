package dev.spotkeeper.testkit.cloud;

import dev.spotkeeper.core.cloud.AddressPort;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@link AddressPort} in memory: addresses from 198.51.100.0/24 keyed by region and workload, associated on demand. */
public final class InMemoryAddresses implements AddressPort {
    private final Map<String, StableAddress> byWorkload = new LinkedHashMap<>();
    private int next = 10;

    @Override
    public synchronized StableAddress allocateOrFind(String region, String workload, int servicePort) {
        return byWorkload.computeIfAbsent(region + "/" + workload, k -> new StableAddress(region,
                String.format("eipalloc-%017x", next), "198.51.100." + next++, Optional.empty(), Optional.empty()));
    }

    @Override
    public synchronized Optional<StableAddress> find(String region, String workload) {
        return Optional.ofNullable(byWorkload.get(region + "/" + workload));
    }

    @Override
    public synchronized void associate(StableAddress address, String instanceId) {
        byWorkload.replaceAll((k, a) -> a.allocationId().equals(address.allocationId())
                ? new StableAddress(a.region(), a.allocationId(), a.publicIp(), Optional.of(instanceId), a.forward())
                : a);
    }

    @Override
    public synchronized void release(StableAddress address) {
        byWorkload.values().removeIf(a -> a.allocationId().equals(address.allocationId()));
    }
}
