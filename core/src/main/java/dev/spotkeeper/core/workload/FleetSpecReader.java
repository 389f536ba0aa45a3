package dev.spotkeeper.core.workload;

import dev.spotkeeper.core.placement.Strategies;
import java.time.Duration;
import java.util.TreeSet;

/** Reads the keys of a {@code kind: fleet} file (replicas, onDemandBase, placement, service), refusing by line. */
final class FleetSpecReader {
    private FleetSpecReader() {
    }

    /**
     * {@code placement.strategy} of a fleet names how Auto Scaling allocates spot capacity (an allocation strategy,
     * default price-capacity-optimized) or, as for a job, the spotkeeper strategy that ranks the pools.
     */
    static FleetExtension.Placement placement(SpecFields p) {
        String s = p.string("strategy", FleetExtension.DEFAULT_ALLOCATION);
        int pools = p.integer("pools", 1);
        if (pools < 1) {
            throw p.invalid("pools", "must be at least 1 (the number of pools, types × zones, to spread over); was " + pools);
        }
        String allocation = FleetExtension.ALLOCATION_STRATEGIES.contains(s) ? s : FleetExtension.DEFAULT_ALLOCATION;
        return new FleetExtension.Placement(allocation, pools);
    }

    static String rankingStrategy(SpecFields p) {
        String s = p.string("strategy", FleetExtension.DEFAULT_ALLOCATION);
        if (FleetExtension.ALLOCATION_STRATEGIES.contains(s)) {
            return Strategies.EXPECTED_COST.name();
        }
        try {
            return WorkloadSpecReader.checkedStrategy(p, s);
        } catch (dev.spotkeeper.core.SpotkeeperException e) {
            throw p.invalid("strategy", "is '" + s + "', neither an allocation strategy of a fleet ("
                    + String.join(", ", new TreeSet<>(FleetExtension.ALLOCATION_STRATEGIES))
                    + ") nor a spotkeeper strategy; write for instance strategy: price-capacity-optimized");
        }
    }

    /** The keys a fleet's file may hold besides the common ones. */
    static void declareKeys(SpecFields root) {
        for (String key : new String[] {"replicas", "onDemandBase", "service", "checkpoint"}) {
            root.node(key);
        }
    }

    static FleetExtension extension(SpecFields root, FleetExtension.Placement placement, String setup, String run) {
        if (root.has("checkpoint")) {
            throw root.invalid("checkpoint", "is for jobs: a fleet's replicas are stateless and are replaced, not "
                    + "restored; remove the checkpoint section (or use kind: job)");
        }
        if (!root.has("replicas")) {
            throw root.invalid("replicas", "is required for a fleet: how many replicas to keep, e.g. replicas: 4");
        }
        int replicas = root.integer("replicas", 0);
        if (replicas < 1) {
            throw root.invalid("replicas", "must be at least 1; was " + replicas);
        }
        int onDemandBase = root.integer("onDemandBase", 0);
        if (onDemandBase > replicas) {
            throw root.invalid("onDemandBase", "is the number of replicas kept on demand, at most replicas ("
                    + replicas + "); was " + onDemandBase);
        }
        return new FleetExtension(replicas, onDemandBase, placement, service(root), setup, run);
    }

    private static FleetExtension.Service service(SpecFields root) {
        if (!root.has("service")) {
            throw root.invalid("service", "is required for a fleet: the port the replicas serve, e.g. "
                    + "service: {port: 8080, healthCheck: {path: /health}}");
        }
        SpecFields s = root.child("service");
        boolean hasPort = s.has("port");
        int port = s.integer("port", 0);
        if (hasPort && (port < 1 || port > 65535)) {
            throw s.invalid("port", "must be from 1 to 65535; was " + port);
        }
        FleetExtension.HealthCheck check = healthCheck(s.child("healthCheck"));
        Duration drain = s.duration("drain", Duration.ofSeconds(300));
        if (drain.isNegative() || drain.compareTo(Duration.ofHours(1)) > 0) {
            throw s.invalid("drain", "is the target group's deregistration delay, from 0s to 1h; was " + s.string("drain", ""));
        }
        // a misspelt port is better named as such than as a missing one
        s.finish();
        if (!hasPort) {
            throw s.invalid("port", "is required: the port each replica serves (it is given the port in $PORT)");
        }
        return new FleetExtension.Service(port, check, drain);
    }

    private static FleetExtension.HealthCheck healthCheck(SpecFields h) {
        String path = h.string("path", "/");
        if (!path.startsWith("/")) {
            throw h.invalid("path", "must begin with '/', e.g. /health; was '" + path + "'");
        }
        Duration interval = h.duration("interval", Duration.ofSeconds(30));
        if (interval.compareTo(Duration.ofSeconds(5)) < 0 || interval.compareTo(Duration.ofSeconds(300)) > 0
                || interval.toMillis() % 1000 != 0) {
            throw h.invalid("interval", "must be whole seconds from 5s to 300s (a target group's bounds); was "
                    + h.string("interval", ""));
        }
        int healthy = threshold(h, "healthyThreshold", 5);
        int unhealthy = threshold(h, "unhealthyThreshold", 2);
        h.finish();
        return new FleetExtension.HealthCheck(path, interval, healthy, unhealthy);
    }

    private static int threshold(SpecFields h, String key, int fallback) {
        int v = h.integer(key, fallback);
        if (v < 2 || v > 10) {
            throw h.invalid(key, "must be from 2 to 10 checks in a row (a target group's bounds); was " + v);
        }
        return v;
    }
}
