package dev.spotkeeper.testkit.cloud;

import dev.spotkeeper.core.cloud.AddressPort;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@link AddressPort} in memory: addresses from 198.51.100.0/24 keyed by region and workload, associated on demand. */
public final class InMemoryAddresses implements AddressPort {
    private final Map<String, StableAddress> byWorkload = new LinkedHashMap<>();
    private int next = 10;
    private volatile boolean broken;

    /** While broken, every call fails as an unreachable EC2 would. */
    public void broken(boolean on) {
        broken = on;
    }

    private void check() {
        if (broken) {
            throw dev.spotkeeper.core.SpotkeeperException.of(dev.spotkeeper.core.ErrorCode.UNAVAILABLE,
                    "EC2 is unreachable (in-memory addresses broken on purpose)");
        }
    }

    @Override
    public synchronized StableAddress allocateOrFind(String region, String workload, int servicePort) {
        check();
        return byWorkload.computeIfAbsent(region + "/" + workload, k -> new StableAddress(region,
                String.format("eipalloc-%017x", next), "198.51.100." + next++, Optional.empty(), Optional.empty()));
    }

    @Override
    public synchronized Optional<StableAddress> find(String region, String workload) {
        check();
        return Optional.ofNullable(byWorkload.get(region + "/" + workload));
    }

    @Override
    public synchronized void associate(StableAddress address, String instanceId) {
        check();
        byWorkload.replaceAll((k, a) -> a.allocationId().equals(address.allocationId())
                ? new StableAddress(a.region(), a.allocationId(), a.publicIp(), Optional.of(instanceId), a.forward())
                : a);
    }

    @Override
    public synchronized void release(StableAddress address) {
        check();
        byWorkload.values().removeIf(a -> a.allocationId().equals(address.allocationId()));
    }
}
