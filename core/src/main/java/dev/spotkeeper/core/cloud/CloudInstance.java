package dev.spotkeeper.core.cloud;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/** An instance as the cloud describes it. {@code state} is EC2's: pending, running, shutting-down, terminated, …. */
public record CloudInstance(
        String instanceId,
        String region,
        String availabilityZone,
        String instanceType,
        boolean spot,
        String state,
        Instant launchTime,
        Map<String, String> tags) {

    public CloudInstance {
        requireNonNull(instanceId, "instanceId is null");
        requireNonNull(region, "region is null");
        requireNonNull(availabilityZone, "availabilityZone is null");
        requireNonNull(instanceType, "instanceType is null");
        requireNonNull(state, "state is null");
        requireNonNull(launchTime, "launchTime is null");
        tags = Map.copyOf(tags);
    }

    public boolean isGone() {
        return state.equals("terminated") || state.equals("shutting-down");
    }
}
