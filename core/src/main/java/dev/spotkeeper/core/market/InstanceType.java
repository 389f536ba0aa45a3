package dev.spotkeeper.core.market;

import static java.util.Objects.requireNonNull;

/** What an instance type offers, as far as placement needs to know. */
public record InstanceType(String name, int vcpus, double memoryGib, int gpus, Architecture architecture) {
    public InstanceType {
        requireNonNull(name, "name is null");
        requireNonNull(architecture, "architecture is null");
        if (vcpus <= 0) {
            throw new IllegalArgumentException("vcpus must be positive: " + vcpus);
        }
        if (memoryGib <= 0) {
            throw new IllegalArgumentException("memoryGib must be positive: " + memoryGib);
        }
        if (gpus < 0) {
            throw new IllegalArgumentException("gpus must not be negative: " + gpus);
        }
    }

    public String family() {
        return familyOf(name);
    }

    /** The family of a type name: the part before the first dot ({@code m5.large} → {@code m5}). */
    public static String familyOf(String typeName) {
        int dot = typeName.indexOf('.');
        return dot < 0 ? typeName : typeName.substring(0, dot);
    }
}
