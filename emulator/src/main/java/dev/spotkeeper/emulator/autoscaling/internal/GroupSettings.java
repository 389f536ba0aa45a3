package dev.spotkeeper.emulator.autoscaling.internal;

import dev.spotkeeper.emulator.autoscaling.internal.Model.Distribution;
import dev.spotkeeper.emulator.autoscaling.internal.Model.Group;
import dev.spotkeeper.emulator.autoscaling.internal.Model.MixedPolicy;
import dev.spotkeeper.emulator.autoscaling.internal.Model.Tag;
import dev.spotkeeper.emulator.autoscaling.internal.Model.TemplateRef;
import dev.spotkeeper.emulator.query.QueryError;
import dev.spotkeeper.emulator.query.QueryParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** What CreateAutoScalingGroup or UpdateAutoScalingGroup asks; null where the request leaves a setting alone. */
record GroupSettings(String name, Integer min, Integer max, Integer desired, TemplateRef template, MixedPolicy mixed,
                     List<String> subnets, List<String> zones, List<String> targetGroups, String healthCheckType,
                     Integer grace, Boolean capacityRebalance, Integer cooldown, List<Tag> tags) {
    private static final Set<String> SPOT_STRATEGIES = Set.of("lowest-price", "capacity-optimized",
            "capacity-optimized-prioritized", "price-capacity-optimized");

    static GroupSettings read(QueryParams p, boolean create) {
        String name = p.require("AutoScalingGroupName");
        Integer min = create ? Integer.valueOf(p.integer("MinSize").orElseThrow(() -> QueryError.missing("MinSize")))
                : p.integer("MinSize").orElse(null);
        Integer max = create ? Integer.valueOf(p.integer("MaxSize").orElseThrow(() -> QueryError.missing("MaxSize")))
                : p.integer("MaxSize").orElse(null);
        TemplateRef template = template(p.sub("LaunchTemplate"));
        MixedPolicy mixed = mixed(p.sub("MixedInstancesPolicy"));
        if (create && template == null && mixed == null) {
            throw QueryError.validation("Valid requests must contain either LaunchTemplate, LaunchConfigurationName, "
                    + "InstanceId or MixedInstancesPolicy parameter.");
        }
        if (template != null && mixed != null) {
            throw QueryError.validation("Valid requests must contain either LaunchTemplate or MixedInstancesPolicy, not both.");
        }
        List<String> subnets = p.get("VPCZoneIdentifier").map(v -> Arrays.stream(v.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList()).orElse(null);
        List<String> zones = p.members("AvailabilityZones");
        List<String> tgs = p.members("TargetGroupARNs");
        String hcType = p.get("HealthCheckType").orElse(null);
        if (hcType != null && !Set.of("EC2", "ELB").contains(hcType)) {
            throw QueryError.validation("Value '" + hcType + "' at 'healthCheckType' failed to satisfy constraint: "
                    + "Member must be EC2 or ELB");
        }
        List<Tag> tags = new ArrayList<>();
        for (QueryParams t : p.structs("Tags")) {
            tags.add(new Tag(t.require("Key"), t.get("Value").orElse(""), t.bool("PropagateAtLaunch").orElse(false)));
        }
        return new GroupSettings(name, min, max, p.integer("DesiredCapacity").orElse(null), template, mixed,
                subnets, zones.isEmpty() ? null : zones, tgs.isEmpty() ? null : tgs, hcType,
                p.integer("HealthCheckGracePeriod").orElse(null), p.bool("CapacityRebalance").orElse(null),
                p.integer("DefaultCooldown").orElse(null), tags.isEmpty() ? null : tags);
    }

    private static TemplateRef template(QueryParams lt) {
        if (lt.isEmpty()) {
            return null;
        }
        String id = lt.get("LaunchTemplateId").orElse(null);
        String name = lt.get("LaunchTemplateName").orElse(null);
        if ((id == null) == (name == null)) {
            throw QueryError.validation("Valid requests must contain either launchTemplateId or launchTemplateName");
        }
        return new TemplateRef(id, name, lt.get("Version").orElse("$Default"));
    }

    private static MixedPolicy mixed(QueryParams m) {
        if (m.isEmpty()) {
            return null;
        }
        TemplateRef t = template(m.sub("LaunchTemplate.LaunchTemplateSpecification"));
        if (t == null) {
            throw QueryError.missing("MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification");
        }
        List<String> overrides = new ArrayList<>();
        for (QueryParams o : m.sub("LaunchTemplate").structs("Overrides")) {
            overrides.add(o.require("InstanceType"));
        }
        QueryParams d = m.sub("InstancesDistribution");
        Distribution dist = new Distribution(d.integer("OnDemandBaseCapacity").orElse(0),
                d.integer("OnDemandPercentageAboveBaseCapacity").orElse(100),
                d.get("SpotAllocationStrategy").orElse("lowest-price"),
                d.get("OnDemandAllocationStrategy").orElse("prioritized"));
        if (dist.onDemandBase() < 0 || dist.onDemandPercentAboveBase() < 0 || dist.onDemandPercentAboveBase() > 100) {
            throw QueryError.validation("OnDemandBaseCapacity must be at least 0 and OnDemandPercentageAboveBaseCapacity "
                    + "from 0 to 100");
        }
        if (!SPOT_STRATEGIES.contains(dist.spotAllocationStrategy())) {
            throw QueryError.validation("Value '" + dist.spotAllocationStrategy() + "' at 'spotAllocationStrategy' is "
                    + "not one of " + new java.util.TreeSet<>(SPOT_STRATEGIES));
        }
        return new MixedPolicy(t, overrides, dist);
    }

    void applyTo(Group g, boolean create) {
        if (create) {
            g.min = min;
            g.max = max;
            g.desired = desired != null ? desired : min;
        }
        if (template != null) {
            g.template = template;
            g.mixed = null;
        }
        if (mixed != null) {
            g.mixed = mixed;
            g.template = null;
        }
        if (subnets != null) {
            g.subnets = new ArrayList<>(subnets);
        }
        if (zones != null) {
            g.zones = new ArrayList<>(zones);
        }
        if (targetGroups != null && create) {
            g.targetGroups = new ArrayList<>(targetGroups);
        }
        if (healthCheckType != null) {
            g.healthCheckType = healthCheckType;
        }
        if (grace != null) {
            g.healthCheckGracePeriod = grace;
        }
        if (capacityRebalance != null) {
            g.capacityRebalance = capacityRebalance;
        }
        if (cooldown != null) {
            g.defaultCooldown = cooldown;
        }
        if (tags != null) {
            g.tags = new ArrayList<>(tags);
        }
    }
}
