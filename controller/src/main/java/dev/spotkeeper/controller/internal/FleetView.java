package dev.spotkeeper.controller.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.cloud.FleetPort;
import java.util.List;
import java.util.Optional;

/**
 * What one pass saw of a fleet before planning: its group as Auto Scaling reports it (empty: none yet), its targets'
 * health, and spotkeeper's ranking of instance types in its region from the live market (best first), with the zones
 * those pools are in.
 */
public record FleetView(String region, Optional<FleetPort.Group> group, List<FleetPort.TargetHealth> targets,
                        List<String> ranking, List<String> zones) {
    public FleetView {
        requireNonNull(region, "region is null");
        requireNonNull(group, "group is null");
        targets = List.copyOf(targets);
        ranking = List.copyOf(ranking);
        zones = List.copyOf(zones);
    }
}
