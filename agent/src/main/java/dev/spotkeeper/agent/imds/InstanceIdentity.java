package dev.spotkeeper.agent.imds;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.json.JsonException;
import java.util.Map;

/**
 * Who this instance is, read from IMDS once at start. {@code account} comes from the instance identity document and
 * is empty when that cannot be read: reports then name no account (the controller checks only what they name).
 */
public record InstanceIdentity(String instanceId, String instanceType, String availabilityZone, String region,
                               String account) {
    public InstanceIdentity {
        requireNonNull(instanceId, "instanceId is null");
        requireNonNull(instanceType, "instanceType is null");
        requireNonNull(availabilityZone, "availabilityZone is null");
        requireNonNull(region, "region is null");
        requireNonNull(account, "account is null");
    }

    public static InstanceIdentity read(ImdsClient imds) {
        String zone = imds.required("placement/availability-zone");
        String region = imds.metadata("placement/region").orElse(zone.isEmpty() ? "" : zone.substring(0, zone.length() - 1));
        return new InstanceIdentity(imds.required("instance-id"), imds.metadata("instance-type").orElse(""), zone, region,
                account(imds));
    }

    private static String account(ImdsClient imds) {
        try {
            Map<String, Object> doc = Json.parseObject(imds.dynamic("instance-identity/document").orElse("{}"));
            return doc.get("accountId") instanceof String a && a.matches("\\d{12}") ? a : "";
        } catch (JsonException | SpotkeeperException e) {
            return "";
        }
    }
}
