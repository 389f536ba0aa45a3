package dev.spotkeeper.core.placement;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.Architecture;
import dev.spotkeeper.core.market.InstanceType;
import dev.spotkeeper.core.market.PoolSignals;
import java.util.Optional;
import java.util.Set;

/**
 * What a workload needs from a pool. Empty sets mean "any"; {@code maxPricePerHour} is +∞ when unset and
 * {@code architecture} empty when any will do.
 */
public record Requirements(
        int minVcpus,
        double minMemoryGib,
        int minGpus,
        Optional<Architecture> architecture,
        Set<String> families,
        Set<String> excludedFamilies,
        Set<String> types,
        Set<String> excludedTypes,
        Set<String> regions,
        Set<String> zones,
        double maxPricePerHour) {

    public Requirements {
        if (minVcpus < 0 || minMemoryGib < 0 || minGpus < 0) {
            throw SpotkeeperException.invalidArgument("vCPUs, memory and GPUs must not be negative");
        }
        if (!(maxPricePerHour > 0)) {
            throw SpotkeeperException.invalidArgument("max price must be a positive number of USD per hour, was " + maxPricePerHour);
        }
        architecture = architecture == null ? Optional.empty() : architecture;
        families = Set.copyOf(families);
        excludedFamilies = Set.copyOf(excludedFamilies);
        types = Set.copyOf(types);
        excludedTypes = Set.copyOf(excludedTypes);
        regions = Set.copyOf(regions);
        zones = Set.copyOf(zones);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The first requirement the pool fails, or null when it meets them all. Ordered cheapest check first. */
    public Requirement firstUnmet(PoolSignals p) {
        if (!regions.isEmpty() && !regions.contains(p.pool().region())) {
            return Requirement.REGION;
        }
        if (!zones.isEmpty() && !zones.contains(p.pool().azId()) && !zones.contains(p.pool().azName())) {
            return Requirement.ZONE;
        }
        Requirement unmet = firstUnmet(p.type());
        if (unmet != null) {
            return unmet;
        }
        if (p.spotPrice() > maxPricePerHour) {
            return Requirement.MAX_PRICE;
        }
        return null;
    }

    /**
     * The first requirement on the instance type itself (size, architecture, types, families) that {@code type}
     * fails, or null when it meets them all; where and at what price are not looked at.
     */
    public Requirement firstUnmet(InstanceType type) {
        if (type.vcpus() < minVcpus) {
            return Requirement.VCPUS;
        }
        if (type.memoryGib() < minMemoryGib) {
            return Requirement.MEMORY;
        }
        if (type.gpus() < minGpus) {
            return Requirement.GPUS;
        }
        if (architecture.isPresent() && type.architecture() != architecture.get()) {
            return Requirement.ARCHITECTURE;
        }
        if (!types.isEmpty() && !types.contains(type.name())) {
            return Requirement.TYPE;
        }
        if (excludedTypes.contains(type.name())) {
            return Requirement.EXCLUDED_TYPE;
        }
        if (!families.isEmpty() && !families.contains(type.family())) {
            return Requirement.FAMILY;
        }
        if (excludedFamilies.contains(type.family())) {
            return Requirement.EXCLUDED_FAMILY;
        }
        return null;
    }

    /** Builds {@link Requirements}; everything is optional. */
    public static final class Builder {
        private int minVcpus;
        private double minMemoryGib;
        private int minGpus;
        private Architecture architecture;
        private Set<String> families = Set.of();
        private Set<String> excludedFamilies = Set.of();
        private Set<String> types = Set.of();
        private Set<String> excludedTypes = Set.of();
        private Set<String> regions = Set.of();
        private Set<String> zones = Set.of();
        private double maxPrice = Double.POSITIVE_INFINITY;

        public Builder vcpus(int v) {
            this.minVcpus = v;
            return this;
        }

        public Builder memoryGib(double m) {
            this.minMemoryGib = m;
            return this;
        }

        public Builder gpus(int g) {
            this.minGpus = g;
            return this;
        }

        public Builder architecture(Architecture a) {
            this.architecture = a;
            return this;
        }

        public Builder families(Set<String> f) {
            this.families = f;
            return this;
        }

        public Builder excludedFamilies(Set<String> f) {
            this.excludedFamilies = f;
            return this;
        }

        public Builder types(Set<String> t) {
            this.types = t;
            return this;
        }

        public Builder excludedTypes(Set<String> t) {
            this.excludedTypes = t;
            return this;
        }

        public Builder regions(Set<String> r) {
            this.regions = r;
            return this;
        }

        public Builder zones(Set<String> z) {
            this.zones = z;
            return this;
        }

        public Builder maxPricePerHour(double p) {
            this.maxPrice = p;
            return this;
        }

        public Requirements build() {
            return new Requirements(minVcpus, minMemoryGib, minGpus, Optional.ofNullable(architecture), families,
                    excludedFamilies, types, excludedTypes, regions, zones, maxPrice);
        }
    }
}
