package dev.spotkeeper.core.market;

import static java.util.Objects.requireNonNull;

/**
 * A spot capacity pool: one instance type in one availability zone. AZ ids ({@code use1-az1}) are the same
 * for every account; AZ names ({@code us-east-1a}) are mapped per account, so the name may be unknown (empty).
 */
public record Pool(String region, String azId, String azName, String instanceType) {
    public Pool {
        requireNonNull(region, "region is null");
        requireNonNull(azId, "azId is null");
        requireNonNull(azName, "azName is null");
        requireNonNull(instanceType, "instanceType is null");
        if (azId.isEmpty() && azName.isEmpty()) {
            throw new IllegalArgumentException("a pool needs an AZ id or an AZ name");
        }
    }

    /** The AZ as people read it: its name when known, else its id. */
    public String zone() {
        return azName.isEmpty() ? azId : azName;
    }

    /** {@code region/zone/type}, unique within a market. */
    public String key() {
        return region + "/" + zone() + "/" + instanceType;
    }

    public boolean inZone(String zone) {
        return zone.equals(azId) || zone.equals(azName);
    }

    @Override
    public String toString() {
        return key();
    }
}
