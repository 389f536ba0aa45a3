package dev.spotkeeper.emulator.elb.internal;

import dev.spotkeeper.emulator.elb.internal.ElbService.Health;
import dev.spotkeeper.emulator.elb.internal.ElbService.TargetRef;
import dev.spotkeeper.emulator.elb.internal.Model.HealthCheck;
import dev.spotkeeper.emulator.elb.internal.Model.Listener;
import dev.spotkeeper.emulator.elb.internal.Model.LoadBalancer;
import dev.spotkeeper.emulator.elb.internal.Model.TargetGroup;
import dev.spotkeeper.emulator.query.QueryError;
import dev.spotkeeper.emulator.query.QueryHandler;
import dev.spotkeeper.emulator.query.QueryHandler.Call;
import dev.spotkeeper.emulator.query.QueryParams;
import dev.spotkeeper.emulator.query.QueryXml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Elastic Load Balancing v2's query API (2015-12-01): each action's parameters in, its XML answer out. */
public final class ElbActions {
    public static final String VERSION = "2015-12-01";
    public static final String NAMESPACE = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    private static final Set<String> PROTOCOLS = Set.of("HTTP", "TCP");

    private final ElbService service;

    public ElbActions(ElbService service) {
        this.service = service;
    }

    public QueryHandler handler() {
        return new QueryHandler("elasticloadbalancing", VERSION, NAMESPACE)
                .action("CreateLoadBalancer", this::createLoadBalancer)
                .action("DescribeLoadBalancers", this::describeLoadBalancers)
                .action("DeleteLoadBalancer", this::deleteLoadBalancer)
                .action("CreateTargetGroup", this::createTargetGroup)
                .action("DescribeTargetGroups", this::describeTargetGroups)
                .action("DeleteTargetGroup", this::deleteTargetGroup)
                .action("ModifyTargetGroupAttributes", this::modifyTargetGroupAttributes)
                .action("DescribeTargetGroupAttributes", this::describeTargetGroupAttributes)
                .action("CreateListener", this::createListener)
                .action("DescribeListeners", this::describeListeners)
                .action("RegisterTargets", this::registerTargets)
                .action("DeregisterTargets", this::deregisterTargets)
                .action("DescribeTargetHealth", this::describeTargetHealth);
    }

    private String createLoadBalancer(Call c) {
        QueryParams p = c.params();
        String type = p.get("Type").orElse("application");
        String scheme = p.get("Scheme").orElse("internet-facing");
        List<String> subnets = new ArrayList<>(p.members("Subnets"));
        p.structs("SubnetMappings").forEach(m -> m.get("SubnetId").ifPresent(subnets::add));
        LoadBalancer lb = service.createLoadBalancer(c.region(), p.require("Name"), type, scheme, subnets);
        QueryXml x = c.response().open("LoadBalancers");
        loadBalancer(x, lb);
        return x.finish();
    }

    private static void loadBalancer(QueryXml x, LoadBalancer lb) {
        x.open("member").el("LoadBalancerArn", lb.arn).el("DNSName", lb.dnsName)
                .el("CanonicalHostedZoneId", "Z35SXDOTRQ7X7K").el("CreatedTime", lb.created)
                .el("LoadBalancerName", lb.name).el("Scheme", lb.scheme).el("VpcId", "vpc-0e5f0a1b2c3d4e5f6")
                .open("State").el("Code", "active").close().el("Type", lb.type).open("AvailabilityZones");
        for (int i = 0; i < lb.subnets.size(); i++) {
            x.open("member").el("ZoneName", lb.zones.get(i)).el("SubnetId", lb.subnets.get(i)).close();
        }
        x.close().el("IpAddressType", "ipv4").close();
    }

    private String describeLoadBalancers(Call c) {
        List<LoadBalancer> lbs = service.describeLoadBalancers(c.params().members("LoadBalancerArns"),
                c.params().members("Names"));
        QueryXml x = c.response().open("LoadBalancers");
        lbs.forEach(lb -> loadBalancer(x, lb));
        return x.finish();
    }

    private String deleteLoadBalancer(Call c) {
        service.deleteLoadBalancer(c.params().require("LoadBalancerArn"));
        return c.response().finish();
    }

    private String createTargetGroup(Call c) {
        QueryParams p = c.params();
        String name = p.require("Name");
        String targetType = p.get("TargetType").orElse("instance");
        if (!targetType.equals("instance") && !targetType.equals("ip")) {
            throw QueryError.validation("Target type '" + targetType + "' is not supported by the emulator; use "
                    + "'instance' or 'ip'.");
        }
        String protocol = p.require("Protocol");
        if (!PROTOCOLS.contains(protocol)) {
            throw QueryError.validation("Protocol '" + protocol + "' is not supported by the emulator's load "
                    + "balancers; use HTTP or TCP.");
        }
        Integer port = p.integer("Port").orElseThrow(() -> QueryError.validation(
                "A port must be specified for target groups of type '" + targetType + "'"));
        boolean http = protocol.equals("HTTP");
        String hcProtocol = p.get("HealthCheckProtocol").orElse(protocol);
        HealthCheck hc = new HealthCheck(hcProtocol, p.get("HealthCheckPort").orElse("traffic-port"),
                hcProtocol.startsWith("HTTP") ? p.get("HealthCheckPath").orElse("/") : null,
                range(p, "HealthCheckIntervalSeconds", 30, 5, 300),
                range(p, "HealthCheckTimeoutSeconds", http ? 5 : 10, 2, 120),
                range(p, "HealthyThresholdCount", 5, 2, 10),
                range(p, "UnhealthyThresholdCount", 2, 2, 10),
                p.sub("Matcher").get("HttpCode").orElse("200"));
        if (!hc.port().equals("traffic-port")) {
            range(p, "HealthCheckPort", 0, 1, 65535);
        }
        if (hc.path() != null && !hc.path().startsWith("/")) {
            throw QueryError.validation("Health check path '" + hc.path() + "' must begin with a '/'");
        }
        if (!hc.matcher().matches("\\d{3}(-\\d{3})?(,\\d{3}(-\\d{3})?)*")) {
            throw QueryError.validation("Matcher HttpCode '" + hc.matcher() + "' is not valid: use a code, a list "
                    + "('200,202') or a range ('200-299')");
        }
        TargetGroup tg = service.createTargetGroup(c.region(), name, protocol, port, p.get("VpcId").orElse(null),
                targetType, hc);
        QueryXml x = c.response().open("TargetGroups");
        targetGroup(x, tg);
        return x.finish();
    }

    private static int range(QueryParams p, String name, int fallback, int min, int max) {
        int v = p.integer(name).orElse(fallback);
        if (v < min || v > max) {
            throw QueryError.validation("Value '" + v + "' at '" + Character.toLowerCase(name.charAt(0))
                    + name.substring(1) + "' failed to satisfy constraint: Member must have value between " + min
                    + " and " + max);
        }
        return v;
    }

    private static void targetGroup(QueryXml x, TargetGroup tg) {
        HealthCheck hc = tg.healthCheck;
        x.open("member").el("TargetGroupArn", tg.arn).el("TargetGroupName", tg.name).el("Protocol", tg.protocol)
                .el("Port", tg.port).el("VpcId", tg.vpcId).el("HealthCheckProtocol", hc.protocol())
                .el("HealthCheckPort", hc.port()).el("HealthCheckEnabled", true)
                .el("HealthCheckIntervalSeconds", hc.intervalSeconds())
                .el("HealthCheckTimeoutSeconds", hc.timeoutSeconds())
                .el("HealthyThresholdCount", hc.healthyThreshold())
                .el("UnhealthyThresholdCount", hc.unhealthyThreshold()).el("HealthCheckPath", hc.path());
        if (tg.protocol.startsWith("HTTP")) {
            x.open("Matcher").el("HttpCode", hc.matcher()).close();
        }
        x.open("LoadBalancerArns");
        if (tg.loadBalancer != null) {
            x.el("member", tg.loadBalancer.arn);
        }
        x.close().el("TargetType", tg.targetType);
        if (tg.protocol.startsWith("HTTP")) {
            x.el("ProtocolVersion", "HTTP1");
        }
        x.el("IpAddressType", "ipv4").close();
    }

    private String describeTargetGroups(Call c) {
        QueryParams p = c.params();
        List<TargetGroup> tgs = service.describeTargetGroups(p.get("LoadBalancerArn").orElse(null),
                p.members("TargetGroupArns"), p.members("Names"));
        QueryXml x = c.response().open("TargetGroups");
        tgs.forEach(tg -> targetGroup(x, tg));
        return x.finish();
    }

    private String deleteTargetGroup(Call c) {
        service.deleteTargetGroup(c.params().require("TargetGroupArn"));
        return c.response().finish();
    }

    private String modifyTargetGroupAttributes(Call c) {
        Map<String, String> changes = new LinkedHashMap<>();
        for (QueryParams a : c.params().structs("Attributes")) {
            changes.put(a.require("Key"), a.get("Value").orElse(""));
        }
        if (changes.isEmpty()) {
            throw QueryError.missing("Attributes");
        }
        return attributes(c, service.modifyAttributes(c.params().require("TargetGroupArn"), changes));
    }

    private String describeTargetGroupAttributes(Call c) {
        return attributes(c, service.attributes(c.params().require("TargetGroupArn")));
    }

    private static String attributes(Call c, Map<String, String> attributes) {
        QueryXml x = c.response().open("Attributes");
        attributes.forEach((k, v) -> x.open("member").el("Key", k).el("Value", v).close());
        return x.finish();
    }

    private String createListener(Call c) {
        QueryParams p = c.params();
        String protocol = p.get("Protocol").orElse("HTTP");
        if (!PROTOCOLS.contains(protocol)) {
            throw QueryError.validation("Listener protocol '" + protocol + "' is not supported by the emulator; "
                    + "use HTTP or TCP.");
        }
        int port = range(p, "Port", -1, 1, 65535);
        List<QueryParams> actions = p.structs("DefaultActions");
        if (actions.isEmpty()) {
            throw QueryError.missing("DefaultActions");
        }
        QueryParams action = actions.get(0);
        String type = action.require("Type");
        if (!type.equals("forward")) {
            throw QueryError.validation("Action type '" + type + "' is not supported by the emulator; use 'forward'.");
        }
        String tg = action.get("TargetGroupArn").orElseGet(() -> {
            List<QueryParams> groups = action.sub("ForwardConfig").structs("TargetGroups");
            if (groups.size() != 1) {
                throw QueryError.validation("A forward action needs one target group (the emulator forwards to one)");
            }
            return groups.get(0).require("TargetGroupArn");
        });
        Listener l = service.createListener(p.require("LoadBalancerArn"), protocol, port, tg);
        QueryXml x = c.response().open("Listeners");
        listener(x, l);
        return x.finish();
    }

    private static void listener(QueryXml x, Listener l) {
        x.open("member").el("ListenerArn", l.arn).el("LoadBalancerArn", l.loadBalancer.arn).el("Port", l.port)
                .el("Protocol", l.protocol).open("DefaultActions").open("member").el("Type", "forward")
                .el("TargetGroupArn", l.targetGroup.arn).open("ForwardConfig").open("TargetGroups").open("member")
                .el("TargetGroupArn", l.targetGroup.arn).el("Weight", 1).close().close().close().close().close()
                .close();
    }

    private String describeListeners(Call c) {
        List<Listener> ls = service.describeListeners(c.params().get("LoadBalancerArn").orElse(null),
                c.params().members("ListenerArns"));
        QueryXml x = c.response().open("Listeners");
        ls.forEach(l -> listener(x, l));
        return x.finish();
    }

    private static List<TargetRef> targets(QueryParams p, boolean required) {
        List<TargetRef> refs = new ArrayList<>();
        for (QueryParams t : p.structs("Targets")) {
            refs.add(new TargetRef(t.require("Id"), t.integer("Port").orElse(null)));
        }
        if (required && refs.isEmpty()) {
            throw QueryError.missing("Targets");
        }
        return refs;
    }

    private String registerTargets(Call c) {
        service.registerTargets(c.params().require("TargetGroupArn"), targets(c.params(), true));
        return c.response().finish();
    }

    private String deregisterTargets(Call c) {
        service.deregisterTargets(c.params().require("TargetGroupArn"), targets(c.params(), true));
        return c.response().finish();
    }

    private String describeTargetHealth(Call c) {
        List<Health> health = service.targetHealth(c.params().require("TargetGroupArn"), targets(c.params(), false));
        QueryXml x = c.response().open("TargetHealthDescriptions");
        for (Health h : health) {
            x.open("member").open("Target").el("Id", h.id()).el("Port", h.port()).close()
                    .el("HealthCheckPort", h.healthCheckPort()).open("TargetHealth").el("State", h.state())
                    .el("Reason", h.reason()).el("Description", h.description()).close().close();
        }
        return x.finish();
    }
}
