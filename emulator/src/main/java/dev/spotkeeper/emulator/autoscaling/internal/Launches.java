package dev.spotkeeper.emulator.autoscaling.internal;

import dev.spotkeeper.emulator.autoscaling.internal.Model.Activity;
import dev.spotkeeper.emulator.autoscaling.internal.Model.Distribution;
import dev.spotkeeper.emulator.autoscaling.internal.Model.Group;
import dev.spotkeeper.emulator.autoscaling.internal.Model.Member;
import dev.spotkeeper.emulator.autoscaling.internal.Model.Tag;
import dev.spotkeeper.emulator.autoscaling.internal.Model.TemplateRef;
import dev.spotkeeper.emulator.spi.InstanceControl.InstanceView;
import dev.spotkeeper.emulator.spi.InstanceLauncher;
import dev.spotkeeper.emulator.spi.InstanceLauncher.LaunchRefused;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a group launches: on-demand up to its base and percentage, spot above; the pool (type × subnet or zone) with
 * the fewest of the group's instances first, so that capacity spreads over zones and then types, the overrides'
 * order breaking ties; the next pool when EC2 refuses one.
 */
final class Launches {
    private static final long RETRY_SECONDS = 5;

    private Launches() {
    }

    static void launch(AutoScalingService service, Group g, int count) {
        Instant now = service.instant();
        if (g.retryAfter != null && now.isBefore(g.retryAfter)) {
            return;
        }
        Optional<InstanceLauncher> launcher = service.ports().launcher().get();
        if (launcher.isEmpty()) {
            return;
        }
        for (int i = 0; i < count; i++) {
            if (!launchOne(service, g, launcher.get())) {
                g.retryAfter = now.plusSeconds(RETRY_SECONDS);
                return;
            }
        }
    }

    private record Pool(String type, String placement, int typeIndex, int placementIndex) {
    }

    private static boolean launchOne(AutoScalingService service, Group g, InstanceLauncher launcher) {
        boolean spot = nextIsSpot(g);
        String region = g.arn.split(":")[3];
        LaunchRefused last = null;
        for (Pool pool : pools(g)) {
            Map<String, String> params = params(g, pool, spot);
            try {
                String id = launcher.launch(region, params, Map.of(AutoScalingService.GROUP_TAG, g.name));
                InstanceView view = service.ports().instances().get().flatMap(ec2 -> ec2.instances().stream()
                        .filter(v -> v.instanceId().equals(id)).findFirst()).orElse(null);
                int before = g.counted().size();
                Member m = new Member(id, view != null ? view.instanceType() : pool.type(),
                        view != null ? view.availabilityZone() : null, pool.placement(),
                        view != null ? view.spot() : spot, service.instant());
                g.members.put(id, m);
                m.activity = service.activity(g, "Launching a new EC2 instance: " + id, g.lastChange + "  At "
                        + service.instant() + " an instance was started in response to a difference between desired "
                        + "and actual capacity, increasing the capacity from " + before + " to " + (before + 1) + ".");
                return true;
            } catch (LaunchRefused e) {
                last = e;
            }
        }
        Activity failed = service.activity(g, "Launching a new EC2 instance.  Status Reason: "
                + (last == null ? "no pool to launch in" : last.getMessage()) + ". Launching EC2 instance failed.",
                g.lastChange + "  At " + service.instant() + " an instance was started in response to a difference "
                        + "between desired and actual capacity, increasing the capacity from " + g.counted().size()
                        + " to " + (g.counted().size() + 1) + ".");
        failed.finish(service.instant(), "Failed", last == null ? null : last.code() + ": " + last.getMessage());
        return false;
    }

    /** On-demand while below the base, then as many above it as the percentage asks (rounded up), spot otherwise. */
    static boolean nextIsSpot(Group g) {
        if (g.mixed == null) {
            return false;
        }
        Distribution d = g.mixed.distribution();
        List<Member> counted = g.counted();
        long onDemand = counted.stream().filter(m -> !m.spot).count();
        if (onDemand < d.onDemandBase()) {
            return false;
        }
        int aboveBase = counted.size() - d.onDemandBase() + 1;
        long onDemandAbove = onDemand - d.onDemandBase();
        long wanted = (long) Math.ceil(aboveBase * d.onDemandPercentAboveBase() / 100.0);
        return onDemandAbove >= wanted;
    }

    private static List<Pool> pools(Group g) {
        List<String> types = g.mixed != null && !g.mixed.overrides().isEmpty() ? g.mixed.overrides() : listOfNull();
        List<String> placements = !g.subnets.isEmpty() ? g.subnets : !g.zones.isEmpty() ? g.zones : listOfNull();
        Map<String, Integer> byPlacement = new LinkedHashMap<>();
        Map<String, Integer> byType = new LinkedHashMap<>();
        for (Member m : g.counted()) {
            byPlacement.merge(String.valueOf(m.placement), 1, Integer::sum);
            byType.merge(String.valueOf(m.instanceType), 1, Integer::sum);
        }
        List<Pool> pools = new ArrayList<>();
        for (int t = 0; t < types.size(); t++) {
            for (int p = 0; p < placements.size(); p++) {
                pools.add(new Pool(types.get(t), placements.get(p), t, p));
            }
        }
        pools.sort(Comparator.<Pool>comparingInt(p -> byPlacement.getOrDefault(String.valueOf(p.placement()), 0))
                .thenComparingInt(p -> byType.getOrDefault(String.valueOf(p.type()), 0))
                .thenComparingInt(Pool::typeIndex).thenComparingInt(Pool::placementIndex));
        return pools;
    }

    private static List<String> listOfNull() {
        List<String> l = new ArrayList<>();
        l.add(null);
        return l;
    }

    private static Map<String, String> params(Group g, Pool pool, boolean spot) {
        Map<String, String> p = new LinkedHashMap<>();
        TemplateRef t = g.templateRef();
        if (t.id() != null) {
            p.put("LaunchTemplate.LaunchTemplateId", t.id());
        } else {
            p.put("LaunchTemplate.LaunchTemplateName", t.name());
        }
        if (t.version() != null) {
            p.put("LaunchTemplate.Version", t.version());
        }
        if (pool.type() != null) {
            p.put("InstanceType", pool.type());
        }
        if (pool.placement() != null) {
            p.put(g.subnets.isEmpty() ? "Placement.AvailabilityZone" : "SubnetId", pool.placement());
        }
        if (spot) {
            p.put("InstanceMarketOptions.MarketType", "spot");
        }
        int n = 1;
        for (Tag tag : g.tags) {
            if (tag.propagateAtLaunch()) {
                p.put("TagSpecification.1.ResourceType", "instance");
                p.put("TagSpecification.1.Tag." + n + ".Key", tag.key());
                p.put("TagSpecification.1.Tag." + n + ".Value", tag.value());
                n++;
            }
        }
        return p;
    }
}
