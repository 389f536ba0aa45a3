package dev.spotkeeper.core.signals;

import java.util.List;

/** The AZs of a region with their per-account names (EC2 {@code DescribeAvailabilityZones}). */
public interface ZoneSource {
    /** @throws dev.spotkeeper.core.SpotkeeperException when the zones cannot be listed */
    List<Zone> zones(String region);
}
