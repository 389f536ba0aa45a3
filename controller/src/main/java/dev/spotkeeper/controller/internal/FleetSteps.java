package dev.spotkeeper.controller.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.controller.internal.FleetPlanner.Step;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.cloud.FleetPort;
import dev.spotkeeper.core.cloud.FleetPort.GroupSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies a {@link FleetPlanner}'s steps, in order, through the fleet port (and EC2 for a detached instance that has
 * drained). It decides nothing: what it did comes back, one line each, with the instances it detached (which the
 * caller remembers, so that they are terminated once drained) and the fleet as {@code ensure} last returned it.
 */
final class FleetSteps {
    private final FleetPort fleets;
    private final ComputePort compute;

    /** What applying the steps did. */
    record Applied(List<String> lines, List<String> detached, List<String> terminated, Optional<FleetPort.Fleet> fleet) {
        Applied {
            lines = List.copyOf(lines);
            detached = List.copyOf(detached);
            terminated = List.copyOf(terminated);
            requireNonNull(fleet, "fleet is null");
        }
    }

    FleetSteps(FleetPort fleets, ComputePort compute) {
        this.fleets = requireNonNull(fleets, "fleets is null");
        this.compute = requireNonNull(compute, "compute is null");
    }

    static String detachedLine(String instanceId, boolean keepCapacity) {
        return "detached " + instanceId + (keepCapacity ? "; its replacement launches now"
                : "; its replacement already serves") + ", its target drains";
    }

    /** {@code base}: the group as the spec wants it; {@code fleet}: what {@code ensure} returned before, if ever. */
    Applied apply(GroupSpec base, Optional<FleetPort.Fleet> fleet, List<Step> steps) {
        String region = base.region();
        String group = base.name();
        List<String> lines = new ArrayList<>();
        List<String> detached = new ArrayList<>();
        List<String> terminated = new ArrayList<>();
        Optional<FleetPort.Fleet> current = fleet;
        for (Step step : steps) {
            if (step instanceof Step.Ensure e) {
                current = Optional.of(fleets.ensure(new GroupSpec(base.name(), region, base.imageId(),
                        base.userData(), e.instanceTypes(), base.zones(), e.desired(), base.maxSize(),
                        base.onDemandBase(), base.allocationStrategy(), base.tags(), base.target(),
                        base.terminationHeartbeat(), base.loadBalancerArn())));
                lines.add("group " + group + " at " + e.desired() + ", pools in order " + e.instanceTypes());
            } else if (step instanceof Step.Detach d) {
                fleets.detach(region, group, d.instanceId(), d.keepCapacity());
                detached.add(d.instanceId());
                lines.add(detachedLine(d.instanceId(), d.keepCapacity()));
            } else if (step instanceof Step.SetDesired s) {
                fleets.setDesiredCapacity(region, group, s.desired());
                lines.add("desired capacity " + s.desired());
            } else if (step instanceof Step.CompleteTermination c) {
                fleets.completeTermination(region, group, c.instanceId());
                lines.add("drained " + c.instanceId() + ": its termination goes on");
            } else if (step instanceof Step.Terminate t) {
                compute.terminate(region, t.instanceId());
                terminated.add(t.instanceId());
                lines.add("terminated " + t.instanceId() + " once drained");
            } else if (step instanceof Step.Delete) {
                current.ifPresent(f -> fleets.delete(region, f));
                lines.add("deleted group " + group + " and its load balancer");
            }
        }
        return new Applied(lines, detached, terminated, current);
    }
}
