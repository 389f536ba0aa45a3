package dev.spotkeeper.emulator.elb.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/** The emulated load balancers' resources; guarded by {@link ElbService}'s lock. */
final class Model {
    private Model() {
    }

    static final class LoadBalancer {
        final String arn;
        final String name;
        final String id;
        final String type;
        final String scheme;
        final String dnsName;
        final Instant created;
        final List<String> subnets;
        final List<String> zones;
        final Map<Integer, Listener> listeners = new LinkedHashMap<>();
        DataPlane dataPlane;

        LoadBalancer(String arn, String name, String id, String type, String scheme, String dnsName, Instant created,
                     List<String> subnets, List<String> zones) {
            this.arn = arn;
            this.name = name;
            this.id = id;
            this.type = type;
            this.scheme = scheme;
            this.dnsName = dnsName;
            this.created = created;
            this.subnets = List.copyOf(subnets);
            this.zones = List.copyOf(zones);
        }
    }

    static final class Listener {
        final String arn;
        final String id;
        final LoadBalancer loadBalancer;
        final String protocol;
        final int port;
        final TargetGroup targetGroup;
        /** Where its HAProxy frontend listens on 127.0.0.1 (the emulated port itself may be privileged or taken). */
        final int hostPort;

        Listener(String arn, String id, LoadBalancer loadBalancer, String protocol, int port, TargetGroup targetGroup,
                 int hostPort) {
            this.arn = arn;
            this.id = id;
            this.loadBalancer = loadBalancer;
            this.protocol = protocol;
            this.port = port;
            this.targetGroup = targetGroup;
            this.hostPort = hostPort;
        }
    }

    /** A target group's health check, as CreateTargetGroup sets it. */
    record HealthCheck(String protocol, String port, String path, int intervalSeconds, int timeoutSeconds,
                       int healthyThreshold, int unhealthyThreshold, String matcher) {
    }

    static final class TargetGroup {
        final String arn;
        final String name;
        final String id;
        final String protocol;
        final Integer port;
        final String vpcId;
        final String targetType;
        final HealthCheck healthCheck;
        final Map<String, String> attributes = new LinkedHashMap<>();
        final Map<String, Target> targets = new LinkedHashMap<>();
        /** The one load balancer whose listeners forward here (AWS allows one per target group); null when unused. */
        LoadBalancer loadBalancer;

        TargetGroup(String arn, String name, String id, String protocol, Integer port, String vpcId, String targetType,
                    HealthCheck healthCheck) {
            this.arn = arn;
            this.name = name;
            this.id = id;
            this.protocol = protocol;
            this.port = port;
            this.vpcId = vpcId;
            this.targetType = targetType;
            this.healthCheck = healthCheck;
        }

        /** The HAProxy backend's name. */
        String backend() {
            return "tg-" + id;
        }

        int deregistrationDelaySeconds() {
            return Integer.parseInt(attributes.get(ElbService.DEREGISTRATION_DELAY));
        }

        List<Target> targetList() {
            return new ArrayList<>(targets.values());
        }
    }

    /** A registered target; {@code draining} from DeregisterTargets until the deregistration delay has passed. */
    static final class Target {
        final String id;
        final int port;
        /** Where HAProxy reaches it: 127.0.0.1 and the port that stands for the target's port there. */
        final String address;
        final int hostPort;
        final Integer healthCheckHostPort;
        boolean draining;
        ScheduledFuture<?> removal;
        /** True once HAProxy has reported it healthy: a target that fails later is unhealthy, never initial again. */
        boolean everHealthy;

        Target(String id, int port, String address, int hostPort, Integer healthCheckHostPort) {
            this.id = id;
            this.port = port;
            this.address = address;
            this.hostPort = hostPort;
            this.healthCheckHostPort = healthCheckHostPort;
        }

        static String key(String id, int port) {
            return id + ":" + port;
        }

        String key() {
            return key(id, port);
        }

        /** The HAProxy server's name (letters, digits, '-', '_', '.' and ':' are allowed). */
        String server() {
            return "t-" + id.replace(':', '_') + "-" + port;
        }
    }
}
