package dev.spotkeeper.core.cloud;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * One instance to launch. {@code clientToken} makes the launch idempotent: the same token twice gives the same
 * instance (EC2's ClientToken), which is what makes a launch retried after a controller crash safe.
 *
 * @param maxPrice spot only: the most we pay per hour; empty = the on-demand price (EC2's default)
 */
public record LaunchRequest(
        String clientToken,
        String region,
        String availabilityZone,
        String instanceType,
        boolean spot,
        Optional<Double> maxPrice,
        String imageId,
        String userData,
        Map<String, String> tags) {

    public LaunchRequest {
        requireNonNull(clientToken, "clientToken is null");
        requireNonNull(region, "region is null");
        requireNonNull(availabilityZone, "availabilityZone is null");
        requireNonNull(instanceType, "instanceType is null");
        requireNonNull(maxPrice, "maxPrice is null");
        requireNonNull(imageId, "imageId is null");
        requireNonNull(userData, "userData is null");
        tags = Map.copyOf(tags);
        if (clientToken.isEmpty() || clientToken.length() > 64) {
            throw new IllegalArgumentException("clientToken must be 1..64 characters (EC2's limit)");
        }
        if (!spot && maxPrice.isPresent()) {
            throw new IllegalArgumentException("maxPrice applies to spot launches only");
        }
    }
}
