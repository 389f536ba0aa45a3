package dev.spotkeeper.aws;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.awsclient.AwsErrorTranslator;
import dev.spotkeeper.awsclient.SdkClients;
import dev.spotkeeper.core.cloud.FleetPort;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateOverrides;
import software.amazon.awssdk.services.autoscaling.model.MixedInstancesPolicy;
import software.amazon.awssdk.services.autoscaling.model.Tag;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateHttpTokensState;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;

/**
 * {@link FleetPort} on Auto Scaling, Elastic Load Balancing v2 and EC2 (and the emulator's, which speak the same query
 * protocol). Every resource is named after the fleet ({@code NAME-tg}, {@code NAME-lb}); the launch template's name
 * carries a digest of its image and user data, so that a changed spec is a new template the group moves to.
 */
public final class AwsFleet implements FleetPort, AutoCloseable {
    static final String TEMPLATE_PREFIX = "spotkeeper-fleet-";

    private final AwsSettings settings;
    /** Made with the first region's clients: a controller that runs no fleet never builds it. */
    private SdkHttpClient http;
    private final Map<String, Clients> byRegion = new ConcurrentHashMap<>();

    private record Clients(AutoScalingClient autoscaling, ElasticLoadBalancingV2Client elb, Ec2Client ec2) {
    }

    public AwsFleet(AwsSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    private synchronized SdkHttpClient http() {
        if (http == null) {
            http = SdkClients.urlConnectionHttp(Duration.ofSeconds(30));
        }
        return http;
    }

    /** Each region's Auto Scaling, Elastic Load Balancing and EC2 clients are built on the first call there. */
    private Clients clients(String region) {
        return byRegion.computeIfAbsent(region, r -> new Clients(
                SdkClients.configure(AutoScalingClient.builder(), settings.client(r)).httpClient(http()).build(),
                SdkClients.configure(ElasticLoadBalancingV2Client.builder(), settings.client(r)).httpClient(http())
                        .build(),
                SdkClients.configure(Ec2Client.builder(), settings.client(r)).httpClient(http()).build()));
    }

    /** The regions whose clients this has built: none until a fleet is handled. */
    public java.util.Set<String> clientRegions() {
        return java.util.Set.copyOf(byRegion.keySet());
    }

    private <T> T call(String region, String service, String action, Supplier<T> body) {
        return AwsErrorTranslator.call(service, action, () -> settings.client(region).endpointFor(
                service.equals("ELB") ? "elasticloadbalancing" : service.toLowerCase(java.util.Locale.ROOT)), body);
    }

    private void run(String region, String service, String action, Runnable body) {
        call(region, service, action, () -> {
            body.run();
            return null;
        });
    }

    @Override
    public Fleet ensure(GroupSpec spec) {
        Clients c = clients(spec.region());
        List<Subnet> subnets = call(spec.region(), "EC2", "DescribeSubnets", () -> c.ec2().describeSubnets(r -> r
                .filters(Filter.builder().name("availability-zone").values(spec.zones()).build())).subnets());
        List<String> subnetIds = new ArrayList<>();
        for (String zone : spec.zones()) {
            subnets.stream().filter(s -> s.availabilityZone().equals(zone))
                    .sorted((a, b) -> Boolean.compare(Boolean.TRUE.equals(b.defaultForAz()), Boolean.TRUE.equals(a.defaultForAz())))
                    .findFirst().ifPresent(s -> subnetIds.add(s.subnetId()));
        }
        if (subnetIds.isEmpty()) {
            throw dev.spotkeeper.core.SpotkeeperException.invalidArgument("no subnet in the zones " + spec.zones()
                    + " of " + spec.region() + "; name zones of the region's default VPC");
        }
        String vpc = subnets.get(0).vpcId();
        String template = ensureTemplate(spec, c);
        String tg = ensureTargetGroup(spec, c, vpc);
        LoadBalancer lb = spec.loadBalancerArn().isPresent()
                ? call(spec.region(), "ELB", "DescribeLoadBalancers", () -> c.elb().describeLoadBalancers(r -> r
                        .loadBalancerArns(spec.loadBalancerArn().get())).loadBalancers().get(0))
                : call(spec.region(), "ELB", "CreateLoadBalancer", () -> c.elb().createLoadBalancer(r -> r
                        .name(spec.name() + "-lb").subnets(subnetIds).type("application")).loadBalancers().get(0));
        String listener = ensureListener(spec, c, lb.loadBalancerArn(), tg);
        ensureGroup(spec, c, template, tg, subnetIds);
        run(spec.region(), "AutoScaling", "PutLifecycleHook", () -> c.autoscaling().putLifecycleHook(r -> r
                .autoScalingGroupName(spec.name()).lifecycleHookName(TERMINATION_HOOK)
                .lifecycleTransition("autoscaling:EC2_INSTANCE_TERMINATING").defaultResult("CONTINUE")
                .heartbeatTimeout((int) spec.terminationHeartbeat().toSeconds())));
        return new Fleet(spec.name(), tg, lb.loadBalancerArn(), listener, lb.dnsName(), spec.loadBalancerArn().isEmpty());
    }

    /** The template of this image and user data: IMDSv2 required, hop limit 2, instance metadata tags on. */
    private String ensureTemplate(GroupSpec spec, Clients c) {
        String name = TEMPLATE_PREFIX + spec.name() + "-" + digest(spec.imageId() + "\n" + spec.userData());
        boolean exists = call(spec.region(), "EC2", "DescribeLaunchTemplates", () -> c.ec2().describeLaunchTemplates(r -> r
                .filters(Filter.builder().name("launch-template-name").values(name).build())).launchTemplates())
                .stream().anyMatch(t -> t.launchTemplateName().equals(name));
        if (!exists) {
            run(spec.region(), "EC2", "CreateLaunchTemplate", () -> c.ec2().createLaunchTemplate(r -> r
                    .launchTemplateName(name).versionDescription("spotkeeper fleet " + spec.name() + ": IMDSv2 required")
                    // Tagged as it is made: the control plane's role may create only templates tagged managed.
                    .tagSpecifications(t -> t.resourceType(ResourceType.LAUNCH_TEMPLATE).tags(spec.tags().entrySet()
                            .stream().map(e -> software.amazon.awssdk.services.ec2.model.Tag.builder().key(e.getKey())
                            .value(e.getValue()).build()).toList()))
                    .launchTemplateData(d -> d.imageId(spec.imageId())
                            .userData(Base64.getEncoder().encodeToString(spec.userData().getBytes(StandardCharsets.UTF_8)))
                            .metadataOptions(m -> m.httpTokens(LaunchTemplateHttpTokensState.REQUIRED)
                                    .httpPutResponseHopLimit(2)))));
        }
        return name;
    }

    private String ensureTargetGroup(GroupSpec spec, Clients c, String vpc) {
        TargetSpec t = spec.target();
        // Creating a target group of the same name and settings returns the one there.
        String arn = call(spec.region(), "ELB", "CreateTargetGroup", () -> c.elb().createTargetGroup(r -> r
                .name(spec.name() + "-tg").protocol("HTTP").port(t.port()).vpcId(vpc).targetType("instance")
                .healthCheckPath(t.healthPath()).healthCheckIntervalSeconds((int) t.healthInterval().toSeconds())
                .healthyThresholdCount(t.healthyThreshold()).unhealthyThresholdCount(t.unhealthyThreshold()))
                .targetGroups().get(0).targetGroupArn());
        run(spec.region(), "ELB", "ModifyTargetGroupAttributes", () -> c.elb().modifyTargetGroupAttributes(r -> r
                .targetGroupArn(arn).attributes(TargetGroupAttribute.builder().key("deregistration_delay.timeout_seconds")
                        .value(Long.toString(t.deregistrationDelay().toSeconds())).build())));
        return arn;
    }

    private String ensureListener(GroupSpec spec, Clients c, String lbArn, String tg) {
        List<Listener> listeners = call(spec.region(), "ELB", "DescribeListeners", () -> c.elb().describeListeners(r -> r
                .loadBalancerArn(lbArn)).listeners());
        Optional<Listener> on = listeners.stream().filter(l -> l.port() == spec.target().listenerPort()).findFirst();
        if (on.isPresent()) {
            return on.get().listenerArn();
        }
        return call(spec.region(), "ELB", "CreateListener", () -> c.elb().createListener(r -> r.loadBalancerArn(lbArn)
                .protocol("HTTP").port(spec.target().listenerPort()).defaultActions(Action.builder()
                        .type(ActionTypeEnum.FORWARD).targetGroupArn(tg).build())).listeners().get(0).listenerArn());
    }

    private void ensureGroup(GroupSpec spec, Clients c, String template, String tg, List<String> subnetIds) {
        List<LaunchTemplateOverrides> overrides = spec.instanceTypes().stream()
                .map(type -> LaunchTemplateOverrides.builder().instanceType(type).build()).toList();
        MixedInstancesPolicy policy = MixedInstancesPolicy.builder()
                .launchTemplate(lt -> lt.launchTemplateSpecification(s -> s.launchTemplateName(template).version("$Latest"))
                        .overrides(overrides))
                .instancesDistribution(d -> d.onDemandBaseCapacity(spec.onDemandBase())
                        .onDemandPercentageAboveBaseCapacity(0).spotAllocationStrategy(spec.allocationStrategy()))
                .build();
        String zones = String.join(",", subnetIds);
        if (group(spec.region(), spec.name()).isEmpty()) {
            List<Tag> tags = spec.tags().entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue())
                    .propagateAtLaunch(true).build()).toList();
            run(spec.region(), "AutoScaling", "CreateAutoScalingGroup", () -> c.autoscaling().createAutoScalingGroup(r -> r
                    .autoScalingGroupName(spec.name()).minSize(0).maxSize(spec.maxSize()).desiredCapacity(spec.desired())
                    .vpcZoneIdentifier(zones).targetGroupARNs(tg).mixedInstancesPolicy(policy).capacityRebalance(true)
                    .healthCheckType("ELB").healthCheckGracePeriod(60).tags(tags)));
        } else {
            run(spec.region(), "AutoScaling", "UpdateAutoScalingGroup", () -> c.autoscaling().updateAutoScalingGroup(r -> r
                    .autoScalingGroupName(spec.name()).minSize(0).maxSize(spec.maxSize()).desiredCapacity(spec.desired())
                    .vpcZoneIdentifier(zones).mixedInstancesPolicy(policy).capacityRebalance(true)));
        }
    }

    @Override
    public Optional<Group> group(String region, String name) {
        Clients c = clients(region);
        List<AutoScalingGroup> found = call(region, "AutoScaling", "DescribeAutoScalingGroups", () -> c.autoscaling()
                .describeAutoScalingGroups(r -> r.autoScalingGroupNames(name)).autoScalingGroups());
        return found.stream().filter(g -> g.autoScalingGroupName().equals(name)).findFirst().map(g -> new Group(
                g.autoScalingGroupName(), g.desiredCapacity(), g.minSize(), g.maxSize(),
                g.mixedInstancesPolicy() == null ? List.of() : g.mixedInstancesPolicy().launchTemplate().overrides()
                        .stream().map(LaunchTemplateOverrides::instanceType).toList(),
                Boolean.TRUE.equals(g.capacityRebalance()),
                g.instances().stream().map(i -> new Member(i.instanceId(), i.instanceType() == null ? "" : i.instanceType(),
                        i.availabilityZone(), i.lifecycleStateAsString(), i.healthStatus())).toList()));
    }

    @Override
    public List<TargetHealth> targetHealth(String region, String targetGroupArn) {
        Clients c = clients(region);
        return call(region, "ELB", "DescribeTargetHealth", () -> c.elb().describeTargetHealth(r -> r
                .targetGroupArn(targetGroupArn)).targetHealthDescriptions()).stream()
                .map(d -> new TargetHealth(d.target().id(), d.targetHealth().stateAsString(),
                        d.targetHealth().reasonAsString() == null ? "" : d.targetHealth().reasonAsString()))
                .toList();
    }

    @Override
    public void detach(String region, String groupName, String instanceId, boolean keepCapacity) {
        Clients c = clients(region);
        run(region, "AutoScaling", "DetachInstances", () -> c.autoscaling().detachInstances(r -> r
                .autoScalingGroupName(groupName).instanceIds(instanceId).shouldDecrementDesiredCapacity(!keepCapacity)));
    }

    @Override
    public void completeTermination(String region, String groupName, String instanceId) {
        Clients c = clients(region);
        run(region, "AutoScaling", "CompleteLifecycleAction", () -> c.autoscaling().completeLifecycleAction(r -> r
                .autoScalingGroupName(groupName).lifecycleHookName(TERMINATION_HOOK).instanceId(instanceId)
                .lifecycleActionResult("CONTINUE")));
    }

    @Override
    public void setDesiredCapacity(String region, String groupName, int desired) {
        Clients c = clients(region);
        run(region, "AutoScaling", "SetDesiredCapacity", () -> c.autoscaling().setDesiredCapacity(r -> r
                .autoScalingGroupName(groupName).desiredCapacity(desired)));
    }

    @Override
    public void delete(String region, Fleet fleet) {
        Clients c = clients(region);
        if (group(region, fleet.groupName()).isPresent()) {
            run(region, "AutoScaling", "DeleteAutoScalingGroup", () -> c.autoscaling().deleteAutoScalingGroup(r -> r
                    .autoScalingGroupName(fleet.groupName()).forceDelete(true)));
        }
        if (fleet.ownLoadBalancer()) {
            try {
                c.elb().deleteLoadBalancer(r -> r.loadBalancerArn(fleet.loadBalancerArn()));
            } catch (LoadBalancerNotFoundException gone) {
                // already deleted
            } catch (SdkException e) {
                throw AwsErrorTranslator.translate(e, "ELB", "DeleteLoadBalancer",
                        settings.client(region).endpointFor("elasticloadbalancing"));
            }
        } else {
            run(region, "ELB", "DeleteListener", () -> c.elb().deleteListener(r -> r.listenerArn(fleet.listenerArn())));
        }
        try {
            c.elb().deleteTargetGroup(r -> r.targetGroupArn(fleet.targetGroupArn()));
        } catch (TargetGroupNotFoundException gone) {
            // already deleted
        } catch (SdkException e) {
            throw AwsErrorTranslator.translate(e, "ELB", "DeleteTargetGroup",
                    settings.client(region).endpointFor("elasticloadbalancing"));
        }
        String prefix = TEMPLATE_PREFIX + fleet.groupName() + "-";
        call(region, "EC2", "DescribeLaunchTemplates", () -> c.ec2().describeLaunchTemplates(r -> { }).launchTemplates())
                .stream().filter(t -> t.launchTemplateName().startsWith(prefix)).forEach(t -> run(region, "EC2",
                        "DeleteLaunchTemplate", () -> c.ec2().deleteLaunchTemplate(r -> r.launchTemplateId(t.launchTemplateId()))));
    }

    private static String digest(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    @Override
    public void close() {
        byRegion.values().forEach(c -> {
            c.autoscaling().close();
            c.elb().close();
            c.ec2().close();
        });
        byRegion.clear();
        synchronized (this) {
            if (http != null) {
                http.close();
                http = null;
            }
        }
    }
}
