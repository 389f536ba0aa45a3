package dev.spotkeeper.emulator.autoscaling.internal;

import dev.spotkeeper.emulator.autoscaling.internal.Model.Activity;
import dev.spotkeeper.emulator.autoscaling.internal.Model.Distribution;
import dev.spotkeeper.emulator.autoscaling.internal.Model.Group;
import dev.spotkeeper.emulator.autoscaling.internal.Model.Hook;
import dev.spotkeeper.emulator.autoscaling.internal.Model.Member;
import dev.spotkeeper.emulator.autoscaling.internal.Model.Tag;
import dev.spotkeeper.emulator.autoscaling.internal.Model.TemplateRef;
import dev.spotkeeper.emulator.query.QueryError;
import dev.spotkeeper.emulator.query.QueryHandler;
import dev.spotkeeper.emulator.query.QueryHandler.Call;
import dev.spotkeeper.emulator.query.QueryParams;
import dev.spotkeeper.emulator.query.QueryXml;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Auto Scaling's query API (2011-01-01): each action's parameters in, its XML answer out. */
public final class AutoScalingActions {
    public static final String VERSION = "2011-01-01";
    public static final String NAMESPACE = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

    private final AutoScalingService service;

    public AutoScalingActions(AutoScalingService service) {
        this.service = service;
    }

    public QueryHandler handler() {
        return new QueryHandler("autoscaling", VERSION, NAMESPACE)
                .action("CreateAutoScalingGroup", this::create)
                .action("UpdateAutoScalingGroup", this::update)
                .action("DescribeAutoScalingGroups", this::describeGroups)
                .action("DescribeAutoScalingInstances", this::describeInstances)
                .action("DeleteAutoScalingGroup", this::delete)
                .action("DetachInstances", this::detach)
                .action("SetDesiredCapacity", this::setDesired)
                .action("PutLifecycleHook", this::putHook)
                .action("CompleteLifecycleAction", this::complete)
                .action("DescribeScalingActivities", this::activities);
    }

    private String create(Call c) {
        service.create(c.region(), GroupSettings.read(c.params(), true));
        return c.response().finish();
    }

    private String update(Call c) {
        service.update(GroupSettings.read(c.params(), false));
        return c.response().finish();
    }

    private String delete(Call c) {
        QueryParams p = c.params();
        service.delete(p.require("AutoScalingGroupName"), p.bool("ForceDelete").orElse(false));
        return c.response().finish();
    }

    private String setDesired(Call c) {
        QueryParams p = c.params();
        service.setDesiredCapacity(p.require("AutoScalingGroupName"),
                p.integer("DesiredCapacity").orElseThrow(() -> QueryError.missing("DesiredCapacity")));
        return c.response().finish();
    }

    private String describeGroups(Call c) {
        QueryXml x = c.response().open("AutoScalingGroups");
        for (Group g : service.describe(c.params().members("AutoScalingGroupNames"))) {
            group(x, g);
        }
        return x.finish();
    }

    private static void template(QueryXml x, String element, TemplateRef t) {
        x.open(element).el("LaunchTemplateId", t.id()).el("LaunchTemplateName", t.name()).el("Version", t.version()).close();
    }

    private static void group(QueryXml x, Group g) {
        x.open("member").el("AutoScalingGroupName", g.name).el("AutoScalingGroupARN", g.arn);
        if (g.mixed != null) {
            Distribution d = g.mixed.distribution();
            x.open("MixedInstancesPolicy").open("LaunchTemplate");
            template(x, "LaunchTemplateSpecification", g.mixed.template());
            x.open("Overrides");
            g.mixed.overrides().forEach(t -> x.open("member").el("InstanceType", t).close());
            x.close().close().open("InstancesDistribution")
                    .el("OnDemandAllocationStrategy", d.onDemandAllocationStrategy())
                    .el("OnDemandBaseCapacity", d.onDemandBase())
                    .el("OnDemandPercentageAboveBaseCapacity", d.onDemandPercentAboveBase())
                    .el("SpotAllocationStrategy", d.spotAllocationStrategy()).close().close();
        } else {
            template(x, "LaunchTemplate", g.template);
        }
        x.el("MinSize", g.min).el("MaxSize", g.max).el("DesiredCapacity", g.desired)
                .el("DefaultCooldown", g.defaultCooldown).open("AvailabilityZones");
        zones(g).forEach(z -> x.el("member", z));
        x.close().open("LoadBalancerNames").close().open("TargetGroupARNs");
        g.targetGroups.forEach(tg -> x.el("member", tg));
        x.close().el("HealthCheckType", g.healthCheckType).el("HealthCheckGracePeriod", g.healthCheckGracePeriod)
                .open("Instances");
        for (Member m : g.members.values()) {
            x.open("member").el("InstanceId", m.instanceId).el("InstanceType", m.instanceType)
                    .el("AvailabilityZone", m.zone).el("LifecycleState", m.state).el("HealthStatus", m.health);
            template(x, "LaunchTemplate", g.templateRef());
            x.el("ProtectedFromScaleIn", false).close();
        }
        x.close().el("CreatedTime", g.created).open("SuspendedProcesses").close()
                .el("VPCZoneIdentifier", g.subnets.isEmpty() ? null : String.join(",", g.subnets))
                .open("EnabledMetrics").close().open("Tags");
        for (Tag t : g.tags) {
            x.open("member").el("ResourceId", g.name).el("ResourceType", "auto-scaling-group").el("Key", t.key())
                    .el("Value", t.value()).el("PropagateAtLaunch", t.propagateAtLaunch()).close();
        }
        x.close().open("TerminationPolicies").el("member", "Default").close()
                .el("NewInstancesProtectedFromScaleIn", false).el("CapacityRebalance", g.capacityRebalance).close();
    }

    private static List<String> zones(Group g) {
        if (!g.zones.isEmpty()) {
            return g.zones;
        }
        return g.members.values().stream().map(m -> m.zone).filter(z -> z != null).distinct().sorted().toList();
    }

    private String describeInstances(Call c) {
        QueryXml x = c.response().open("AutoScalingInstances");
        for (Map.Entry<Member, Group> e : service.members(c.params().members("InstanceIds")).entrySet()) {
            Member m = e.getKey();
            x.open("member").el("InstanceId", m.instanceId).el("InstanceType", m.instanceType)
                    .el("AutoScalingGroupName", e.getValue().name).el("AvailabilityZone", m.zone)
                    .el("LifecycleState", m.state).el("HealthStatus", m.health.toUpperCase(java.util.Locale.ROOT));
            template(x, "LaunchTemplate", e.getValue().templateRef());
            x.el("ProtectedFromScaleIn", false).close();
        }
        return x.finish();
    }

    private String detach(Call c) {
        QueryParams p = c.params();
        boolean decrement = p.bool("ShouldDecrementDesiredCapacity")
                .orElseThrow(() -> QueryError.missing("ShouldDecrementDesiredCapacity"));
        List<Activity> activities = service.detach(p.require("AutoScalingGroupName"), p.members("InstanceIds"), decrement);
        QueryXml x = c.response().open("Activities");
        activities.forEach(a -> activity(x, a));
        return x.finish();
    }

    private String putHook(Call c) {
        QueryParams p = c.params();
        String transition = p.require("LifecycleTransition");
        if (!Set.of("autoscaling:EC2_INSTANCE_TERMINATING", "autoscaling:EC2_INSTANCE_LAUNCHING").contains(transition)) {
            throw QueryError.validation("Invalid Lifecycle Transition '" + transition + "': use "
                    + "autoscaling:EC2_INSTANCE_LAUNCHING or autoscaling:EC2_INSTANCE_TERMINATING");
        }
        int timeout = p.integer("HeartbeatTimeout").orElse(3600);
        if (timeout < 30 || timeout > 7200) {
            throw QueryError.validation("Heartbeat timeout " + timeout + " must be between 30 and 7200 seconds");
        }
        String result = p.get("DefaultResult").orElse("ABANDON");
        if (!result.equals("CONTINUE") && !result.equals("ABANDON")) {
            throw QueryError.validation("Default result '" + result + "' must be CONTINUE or ABANDON");
        }
        service.putHook(p.require("AutoScalingGroupName"), new Hook(p.require("LifecycleHookName"), transition,
                timeout, result));
        return c.response().finish();
    }

    private String complete(Call c) {
        QueryParams p = c.params();
        String result = p.require("LifecycleActionResult");
        if (!result.equals("CONTINUE") && !result.equals("ABANDON")) {
            throw QueryError.validation("Lifecycle action result '" + result + "' must be CONTINUE or ABANDON");
        }
        String instance = p.get("InstanceId").orElse(null);
        String token = p.get("LifecycleActionToken").orElse(null);
        if (instance == null && token == null) {
            throw QueryError.validation("Either InstanceId or LifecycleActionToken must be given");
        }
        service.completeLifecycleAction(p.require("AutoScalingGroupName"), p.require("LifecycleHookName"), instance,
                token, result);
        return c.response().finish();
    }

    private String activities(Call c) {
        QueryParams p = c.params();
        int max = p.integer("MaxRecords").orElse(100);
        QueryXml x = c.response().open("Activities");
        service.activities(p.get("AutoScalingGroupName").orElse(null), p.members("ActivityIds"), max)
                .forEach(a -> activity(x, a));
        return x.finish();
    }

    private static void activity(QueryXml x, Activity a) {
        x.open("member").el("ActivityId", a.id).el("AutoScalingGroupName", a.group).el("Description", a.description)
                .el("Cause", a.cause).el("StartTime", a.start).el("EndTime", a.end).el("StatusCode", a.status)
                .el("StatusMessage", a.statusMessage).el("Progress", a.progress).el("Details", "{}").close();
    }
}
