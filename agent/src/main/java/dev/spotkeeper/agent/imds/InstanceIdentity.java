package dev.spotkeeper.agent.imds;

import static java.util.Objects.requireNonNull;

/** Who this instance is, read from IMDS once at start. */
public record InstanceIdentity(String instanceId, String instanceType, String availabilityZone, String region) {
    public InstanceIdentity {
        requireNonNull(instanceId, "instanceId is null");
        requireNonNull(instanceType, "instanceType is null");
        requireNonNull(availabilityZone, "availabilityZone is null");
        requireNonNull(region, "region is null");
    }

    public static InstanceIdentity read(ImdsClient imds) {
        String zone = imds.required("placement/availability-zone");
        String region = imds.metadata("placement/region").orElse(zone.isEmpty() ? "" : zone.substring(0, zone.length() - 1));
        return new InstanceIdentity(imds.required("instance-id"), imds.metadata("instance-type").orElse(""), zone, region);
    }
}
