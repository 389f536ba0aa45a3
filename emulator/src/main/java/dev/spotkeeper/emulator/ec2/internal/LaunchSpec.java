package dev.spotkeeper.emulator.ec2.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.market.InstanceType;
import java.util.Map;

/**
 * What to launch, after the request and its launch template have been merged and checked.
 *
 * @param zoneName the AZ asked for, or null to let the emulator choose
 * @param userData base64 as sent, or null
 * @param maxPrice spot max price in USD per hour, NaN for the on-demand price
 * @param httpTokens {@code required} or {@code optional}
 */
public record LaunchSpec(String imageId, InstanceType type, String region, String zoneName, String subnetId,
                         String userData, Map<String, String> tags, boolean spot, double maxPrice,
                         String httpTokens, int hopLimit, boolean metadataTags, String launchTemplateId) {
    public LaunchSpec {
        requireNonNull(imageId, "imageId is null");
        requireNonNull(type, "type is null");
        requireNonNull(region, "region is null");
        requireNonNull(httpTokens, "httpTokens is null");
        tags = Map.copyOf(tags);
    }

    /** The same launch pinned to one zone (its subnet then follows from the zone). */
    public LaunchSpec inZone(String zone) {
        return new LaunchSpec(imageId, type, region, zone, null, userData, tags, spot, maxPrice, httpTokens,
                hopLimit, metadataTags, launchTemplateId);
    }

    public LaunchSpec withTags(Map<String, String> newTags) {
        return new LaunchSpec(imageId, type, region, zoneName, subnetId, userData, newTags, spot, maxPrice,
                httpTokens, hopLimit, metadataTags, launchTemplateId);
    }
}
