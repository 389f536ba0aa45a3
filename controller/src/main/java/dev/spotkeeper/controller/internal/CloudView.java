package dev.spotkeeper.controller.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.cloud.CloudInstance;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the cloud reported for a workload's instances in this pass, by instance id; for a fleet also its group, its
 * targets and the ranking of its pools ({@link FleetView}).
 */
public record CloudView(Map<String, CloudInstance> instances, Optional<FleetView> fleet) {
    public CloudView {
        instances = Map.copyOf(instances);
        requireNonNull(fleet, "fleet is null");
    }

    public CloudView(Map<String, CloudInstance> instances) {
        this(instances, Optional.empty());
    }

    public Optional<CloudInstance> instance(String instanceId) {
        return Optional.ofNullable(instances.get(instanceId));
    }

    /** The evacuation deadline the instance is tagged with, if any. */
    public Optional<Instant> evacuateTag(String instanceId) {
        return CloudSync.evacuateTag(instances.get(instanceId));
    }
}
