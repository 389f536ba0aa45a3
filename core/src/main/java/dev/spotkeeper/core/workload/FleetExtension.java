package dev.spotkeeper.core.workload;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Set;

/**
 * A fleet's own part: {@code replicas} stateless copies of {@code run} behind a load balancer, the first
 * {@code onDemandBase} of them on demand, spread over at least {@code placement.pools} pools (types × zones), each
 * serving {@code service.port} with the health check and drain of the fleet's target group. The values are checked
 * here for programming errors; a user's mistakes are refused with their line by {@link WorkloadSpecReader}.
 */
public record FleetExtension(int replicas, int onDemandBase, Placement placement, Service service, String setup,
                             String run) implements WorkloadExtension {
    /** Auto Scaling's spot allocation strategies, the names a fleet's {@code placement.strategy} may also take. */
    public static final Set<String> ALLOCATION_STRATEGIES = Set.of("price-capacity-optimized", "capacity-optimized",
            "capacity-optimized-prioritized", "lowest-price");
    public static final String DEFAULT_ALLOCATION = "price-capacity-optimized";

    public FleetExtension {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be at least 1: " + replicas);
        }
        if (onDemandBase < 0 || onDemandBase > replicas) {
            throw new IllegalArgumentException("onDemandBase must be from 0 to replicas: " + onDemandBase);
        }
        requireNonNull(placement, "placement is null");
        requireNonNull(service, "service is null");
        requireNonNull(setup, "setup is null");
        requireNonNull(run, "run is null");
    }

    @Override
    public WorkloadKind kind() {
        return WorkloadKind.FLEET;
    }

    /** How spot capacity is chosen (an Auto Scaling allocation strategy) and over how many pools at least. */
    public record Placement(String allocationStrategy, int pools) {
        public Placement {
            requireNonNull(allocationStrategy, "allocationStrategy is null");
            if (!ALLOCATION_STRATEGIES.contains(allocationStrategy)) {
                throw new IllegalArgumentException("unknown allocation strategy: " + allocationStrategy);
            }
            if (pools < 1) {
                throw new IllegalArgumentException("pools must be at least 1: " + pools);
            }
        }
    }

    /** The replicas' port, their target group's health check, and how long a leaving replica drains. */
    public record Service(int port, HealthCheck healthCheck, Duration drain) {
        public Service {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be from 1 to 65535: " + port);
            }
            requireNonNull(healthCheck, "healthCheck is null");
            requireNonNull(drain, "drain is null");
            if (drain.isNegative() || drain.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("drain must be from 0 to 1h: " + drain);
            }
        }
    }

    /** An HTTP health check, as a target group runs it (AWS's bounds: interval 5–300 s, thresholds 2–10). */
    public record HealthCheck(String path, Duration interval, int healthyThreshold, int unhealthyThreshold) {
        public HealthCheck {
            requireNonNull(path, "path is null");
            requireNonNull(interval, "interval is null");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path must begin with '/': " + path);
            }
            if (interval.compareTo(Duration.ofSeconds(5)) < 0 || interval.compareTo(Duration.ofSeconds(300)) > 0) {
                throw new IllegalArgumentException("interval must be from 5s to 300s: " + interval);
            }
            if (healthyThreshold < 2 || healthyThreshold > 10 || unhealthyThreshold < 2 || unhealthyThreshold > 10) {
                throw new IllegalArgumentException("thresholds must be from 2 to 10");
            }
        }
    }
}
