package dev.spotkeeper.core.cloud;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A workload's stable address, the way EC2 keeps Elastic IPs: one per service, found again by the workload's tag, and
 * associated with whichever instance is the primary. Clients connect to {@link StableAddress#host()} and
 * {@link StableAddress#port(int)}, which do not change when the address moves. No SDK type crosses; failures are
 * {@code SpotkeeperException}s.
 */
public interface AddressPort {
    /**
     * One allocated address.
     *
     * @param allocationId EC2's allocation id ({@code eipalloc-…})
     * @param publicIp the public address
     * @param instanceId the instance it is associated with, empty when none
     * @param forward where a client reaches the address when it is not reachable at {@code publicIp} itself (the
     *     local emulator's loopback forward, {@code 127.0.0.1:PORT}); empty on AWS
     */
    record StableAddress(String region, String allocationId, String publicIp, Optional<String> instanceId,
                         Optional<String> forward) {
        public StableAddress {
            requireNonNull(region, "region is null");
            requireNonNull(allocationId, "allocationId is null");
            requireNonNull(publicIp, "publicIp is null");
            requireNonNull(instanceId, "instanceId is null");
            requireNonNull(forward, "forward is null");
        }

        /** The host a client connects to. */
        public String host() {
            return forward.map(f -> f.substring(0, f.lastIndexOf(':'))).orElse(publicIp);
        }

        /** The port a client connects to for the service's {@code servicePort}. */
        public int port(int servicePort) {
            return forward.map(f -> Integer.parseInt(f.substring(f.lastIndexOf(':') + 1))).orElse(servicePort);
        }
    }

    /**
     * The workload's address in {@code region}, allocated (tagged with the workload, forwarding {@code servicePort})
     * when it has none yet. Safe to call again: it finds the one made before.
     */
    StableAddress allocateOrFind(String region, String workload, int servicePort);

    /** The workload's address in {@code region}; empty when it has none. */
    Optional<StableAddress> find(String region, String workload);

    /** Associates the address with {@code instanceId}, moving it from any instance it was associated with. */
    void associate(StableAddress address, String instanceId);

    /** Disassociates the address when associated and releases it; nothing happens when it is gone already. */
    void release(StableAddress address);
}
