package dev.spotkeeper.controller.internal;

import dev.spotkeeper.core.cloud.CloudInstance;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What the cloud reported for a workload's instances in this pass, by instance id. */
public record CloudView(Map<String, CloudInstance> instances) {
    public CloudView {
        instances = Map.copyOf(instances);
    }

    public Optional<CloudInstance> instance(String instanceId) {
        return Optional.ofNullable(instances.get(instanceId));
    }

    /** The evacuation deadline the instance is tagged with, if any. */
    public Optional<Instant> evacuateTag(String instanceId) {
        return CloudSync.evacuateTag(instances.get(instanceId));
    }
}
