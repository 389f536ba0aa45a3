package dev.spotkeeper.emulator.ec2.internal;

import dev.spotkeeper.core.market.InstanceCatalog;
import dev.spotkeeper.core.market.InstanceType;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a launch specification from a RunInstances request merged over its launch template's data (a member
 * given in the request replaces the template's, as EC2 does), checking every value AWS would check.
 */
final class LaunchSpecs {
    static final String DEFAULT_TYPE = "m5.large";

    private LaunchSpecs() {
    }

    /** Request members win over the template's, whole top-level member by member. */
    static QueryParams merge(QueryParams template, QueryParams request) {
        Set<String> given = new HashSet<>();
        for (String k : request.asMap().keySet()) {
            given.add(top(k));
        }
        Map<String, String> merged = new LinkedHashMap<>();
        template.asMap().forEach((k, v) -> {
            if (!given.contains(top(k))) {
                merged.put(k, v);
            }
        });
        merged.putAll(request.asMap());
        return new QueryParams(merged);
    }

    private static String top(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? key : key.substring(0, dot);
    }

    static LaunchSpec read(QueryParams p, String region, InstanceCatalog catalog, String templateId) {
        String imageId = p.require("ImageId");
        if (!imageId.startsWith("ami-")) {
            throw Ec2Error.client("InvalidAMIID.Malformed", "Invalid id: \"" + imageId + "\" (expecting \"ami-...\")");
        }
        InstanceType type = type(p.get("InstanceType").orElse(DEFAULT_TYPE), catalog);
        String market = p.get("InstanceMarketOptions.MarketType").orElse(null);
        if (market != null && !market.equals("spot")) {
            throw Ec2Error.invalidValue("InstanceMarketOptions.MarketType", market, List.of("spot"));
        }
        double maxPrice = p.decimal("InstanceMarketOptions.SpotOptions.MaxPrice").orElse(Double.NaN);
        if (maxPrice <= 0) {
            throw Ec2Error.invalid("Invalid value '" + maxPrice + "' for MaxPrice: it must be a positive price in USD per hour.");
        }
        String spotType = p.get("InstanceMarketOptions.SpotOptions.SpotInstanceType").orElse("one-time");
        if (!spotType.equals("one-time")) {
            throw Ec2Error.client("Unsupported", "The emulator supports one-time spot requests only, not '" + spotType + "'.");
        }
        String tokens = p.get("MetadataOptions.HttpTokens").orElse("required");
        if (!tokens.equals("required") && !tokens.equals("optional")) {
            throw Ec2Error.invalidValue("MetadataOptions.HttpTokens", tokens, List.of("required", "optional"));
        }
        String metadataTags = p.get("MetadataOptions.InstanceMetadataTags").orElse("disabled");
        if (!metadataTags.equals("enabled") && !metadataTags.equals("disabled")) {
            throw Ec2Error.invalidValue("MetadataOptions.InstanceMetadataTags", metadataTags, List.of("enabled", "disabled"));
        }
        int hops = p.integer("MetadataOptions.HttpPutResponseHopLimit", 2);
        if (hops < 1 || hops > 64) {
            throw Ec2Error.invalid("Invalid value '" + hops + "' for HttpPutResponseHopLimit: it must be 1..64.");
        }
        String subnet = p.get("SubnetId").or(() -> p.get("NetworkInterface.1.SubnetId")).orElse(null);
        return new LaunchSpec(imageId, type, region, p.get("Placement.AvailabilityZone").orElse(null), subnet,
                p.get("UserData").orElse(null), tags(p, "instance"), market != null, maxPrice, tokens, hops,
                metadataTags.equals("enabled"), templateId);
    }

    static InstanceType type(String name, InstanceCatalog catalog) {
        Optional<InstanceType> t = catalog.find(name);
        if (t.isEmpty()) {
            throw Ec2Error.invalidValue("InstanceType", name, catalog.names());
        }
        return t.get();
    }

    /** The tags of {@code TagSpecification.N} for one resource type. */
    static Map<String, String> tags(QueryParams p, String resourceType) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (QueryParams spec : p.structs("TagSpecification")) {
            String type = spec.get("ResourceType").orElseThrow(() -> Ec2Error.missing("TagSpecification.N.ResourceType"));
            if (type.equals(resourceType)) {
                tags.putAll(tagList(spec, "Tag"));
            }
        }
        return tags;
    }

    static Map<String, String> tagList(QueryParams p, String prefix) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (QueryParams tag : p.structs(prefix)) {
            String key = tag.get("Key").orElseThrow(() -> Ec2Error.missing(prefix + ".N.Key"));
            if (key.startsWith("aws:")) {
                throw Ec2Error.invalid("Tag keys starting with 'aws:' are reserved for internal use");
            }
            tags.put(key, tag.get("Value").orElse(""));
        }
        return tags;
    }
}
