package dev.spotkeeper.emulator.elb.internal;

import dev.spotkeeper.emulator.elb.internal.Model.HealthCheck;
import dev.spotkeeper.emulator.elb.internal.Model.Listener;
import dev.spotkeeper.emulator.elb.internal.Model.LoadBalancer;
import dev.spotkeeper.emulator.elb.internal.Model.Target;
import dev.spotkeeper.emulator.elb.internal.Model.TargetGroup;
import dev.spotkeeper.emulator.query.QueryError;
import dev.spotkeeper.emulator.spi.InstanceControl;
import dev.spotkeeper.emulator.spi.LoadBalancerControl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The state of the emulated Elastic Load Balancing v2 and what changes it. One lock guards the model and the calls
 * into HAProxy, so that the data plane always matches what the API answered.
 */
public final class ElbService implements LoadBalancerControl, AutoCloseable {
    static final String DEREGISTRATION_DELAY = "deregistration_delay.timeout_seconds";
    static final Map<String, String> DEFAULT_ATTRIBUTES = Map.of(
            DEREGISTRATION_DELAY, "300",
            "stickiness.enabled", "false",
            "stickiness.type", "lb_cookie",
            "load_balancing.algorithm.type", "round_robin",
            "slow_start.duration_seconds", "0");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?");

    private final Clock clock;
    private final Random random;
    private final Path directory;
    private final String account;
    private final Supplier<Optional<InstanceControl>> instances;
    private final Map<String, LoadBalancer> loadBalancers = new LinkedHashMap<>();
    private final Map<String, TargetGroup> targetGroups = new LinkedHashMap<>();
    private final ScheduledExecutorService drains = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "emulator-elb-drain");
        t.setDaemon(true);
        return t;
    });

    public ElbService(Clock clock, long seed, Path directory, String account,
                      Supplier<Optional<InstanceControl>> instances) {
        this.clock = clock;
        this.random = new Random(seed);
        this.directory = directory;
        this.account = account;
        this.instances = instances;
    }

    private String hex(int length) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < length) {
            sb.append(Integer.toHexString(random.nextInt(16)));
        }
        return sb.toString();
    }

    static void checkName(String kind, String name) {
        if (!NAME.matcher(name).matches() || name.startsWith("internal-")) {
            throw QueryError.validation("The " + kind + " name '" + name + "' is not valid: it must have 1 to 32 "
                    + "letters, digits and hyphens, and must not begin or end with a hyphen.");
        }
    }

    // ---- load balancers ----

    public synchronized LoadBalancer createLoadBalancer(String region, String name, String type, String scheme,
                                                        List<String> subnets) {
        checkName("load balancer", name);
        for (LoadBalancer lb : loadBalancers.values()) {
            if (lb.name.equals(name)) {
                if (lb.type.equals(type)) {
                    return lb; // CreateLoadBalancer is idempotent for the same settings
                }
                throw QueryError.sender("DuplicateLoadBalancerName", "A load balancer with the same name '" + name
                        + "' exists, but with different settings");
            }
        }
        String id = hex(16);
        String prefix = switch (type) {
            case "application" -> "app";
            case "network" -> "net";
            default -> throw QueryError.validation("Load balancer type '" + type + "' is not supported by the "
                    + "emulator; use 'application' or 'network'.");
        };
        String arn = "arn:aws:elasticloadbalancing:" + region + ":" + account + ":loadbalancer/" + prefix + "/" + name + "/" + id;
        String dns = (scheme.equals("internal") ? "internal-" : "") + name + "-" + hex(10) + "." + region + ".elb.localhost";
        List<String> zones = new ArrayList<>();
        for (String subnet : subnets) {
            zones.add(zoneOf(region, subnet));
        }
        LoadBalancer lb = new LoadBalancer(arn, name, id, type, scheme, dns, clock.instant(), subnets, zones);
        lb.dataPlane = new DataPlane(directory.resolve(name + "-" + id), socketPath(id));
        loadBalancers.put(arn, lb);
        return lb;
    }

    /** The emulator's subnets are named after their zone ({@code subnet-…} of {@code us-east-1a}); else the region's a. */
    private static String zoneOf(String region, String subnet) {
        java.util.regex.Matcher m = Pattern.compile("([a-z]{2}-[a-z]+-\\d[a-z])").matcher(subnet);
        return m.find() ? m.group(1) : region + "a";
    }

    /** Unix socket paths are limited to 107 bytes: a short one under the system's temporary directory when needed. */
    private Path socketPath(String id) {
        Path inDir = directory.resolve("lb-" + id + ".sock");
        if (inDir.toAbsolutePath().toString().length() < 100) {
            return inDir;
        }
        try {
            Path tmp = Files.createTempDirectory("spotkeeper-elb-");
            tmp.toFile().deleteOnExit();
            return tmp.resolve("admin.sock");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized List<LoadBalancer> describeLoadBalancers(List<String> arns, List<String> names) {
        List<LoadBalancer> out = new ArrayList<>();
        if (arns.isEmpty() && names.isEmpty()) {
            out.addAll(loadBalancers.values());
            return out;
        }
        for (String arn : arns) {
            out.add(loadBalancer(arn));
        }
        for (String name : names) {
            out.add(loadBalancers.values().stream().filter(lb -> lb.name.equals(name)).findFirst()
                    .orElseThrow(() -> QueryError.sender("LoadBalancerNotFound", "Load balancers '[" + name + "]' not found")));
        }
        return out;
    }

    LoadBalancer loadBalancer(String arn) {
        LoadBalancer lb = loadBalancers.get(arn);
        if (lb == null) {
            throw QueryError.sender("LoadBalancerNotFound", "One or more load balancers not found: '" + arn + "'");
        }
        return lb;
    }

    /** Deleting one that does not exist succeeds, as on AWS. Its HAProxy ends; its target groups become unused. */
    public synchronized void deleteLoadBalancer(String arn) {
        LoadBalancer lb = loadBalancers.remove(arn);
        if (lb == null) {
            return;
        }
        lb.dataPlane.close();
        for (TargetGroup tg : targetGroups.values()) {
            if (tg.loadBalancer == lb) {
                tg.loadBalancer = null;
            }
        }
    }

    // ---- target groups ----

    public synchronized TargetGroup createTargetGroup(String region, String name, String protocol, Integer port,
                                                      String vpcId, String targetType, HealthCheck healthCheck) {
        checkName("target group", name);
        for (TargetGroup tg : targetGroups.values()) {
            if (tg.name.equals(name)) {
                if (tg.protocol.equals(protocol) && java.util.Objects.equals(tg.port, port)
                        && tg.targetType.equals(targetType) && tg.healthCheck.equals(healthCheck)) {
                    return tg;
                }
                throw QueryError.sender("DuplicateTargetGroupName", "A target group with the same name '" + name
                        + "' exists, but with different settings");
            }
        }
        String id = hex(16);
        String arn = "arn:aws:elasticloadbalancing:" + region + ":" + account + ":targetgroup/" + name + "/" + id;
        TargetGroup tg = new TargetGroup(arn, name, id, protocol, port, vpcId, targetType, healthCheck);
        tg.attributes.putAll(new java.util.TreeMap<>(DEFAULT_ATTRIBUTES));
        targetGroups.put(arn, tg);
        return tg;
    }

    public synchronized List<TargetGroup> describeTargetGroups(String loadBalancerArn, List<String> arns,
                                                               List<String> names) {
        List<TargetGroup> out = new ArrayList<>();
        for (String arn : arns) {
            out.add(targetGroup(arn));
        }
        for (String name : names) {
            out.add(targetGroups.values().stream().filter(tg -> tg.name.equals(name)).findFirst()
                    .orElseThrow(() -> QueryError.sender("TargetGroupNotFound", "Target groups '[" + name + "]' not found")));
        }
        if (arns.isEmpty() && names.isEmpty()) {
            if (loadBalancerArn != null) {
                LoadBalancer lb = loadBalancer(loadBalancerArn);
                targetGroups.values().stream().filter(tg -> tg.loadBalancer == lb).forEach(out::add);
            } else {
                out.addAll(targetGroups.values());
            }
        }
        return out;
    }

    TargetGroup targetGroup(String arn) {
        TargetGroup tg = targetGroups.get(arn);
        if (tg == null) {
            throw QueryError.sender("TargetGroupNotFound", "One or more target groups not found: '" + arn + "'");
        }
        return tg;
    }

    public synchronized void deleteTargetGroup(String arn) {
        TargetGroup tg = targetGroups.get(arn);
        if (tg == null) {
            return;
        }
        if (tg.loadBalancer != null) {
            throw QueryError.sender("ResourceInUse", "Target group '" + arn + "' is currently in use by a listener or a rule");
        }
        tg.targets.values().forEach(t -> {
            if (t.removal != null) {
                t.removal.cancel(false);
            }
        });
        targetGroups.remove(arn);
    }

    public synchronized Map<String, String> attributes(String arn) {
        return new LinkedHashMap<>(targetGroup(arn).attributes);
    }

    public synchronized Map<String, String> modifyAttributes(String arn, Map<String, String> changes) {
        TargetGroup tg = targetGroup(arn);
        for (Map.Entry<String, String> e : changes.entrySet()) {
            if (!tg.attributes.containsKey(e.getKey())) {
                throw QueryError.validation("The attribute key '" + e.getKey() + "' is not recognized; the emulator "
                        + "knows " + String.join(", ", new java.util.TreeSet<>(DEFAULT_ATTRIBUTES.keySet())));
            }
            if (e.getKey().equals(DEREGISTRATION_DELAY) || e.getKey().equals("slow_start.duration_seconds")) {
                int v;
                try {
                    v = Integer.parseInt(e.getValue().trim());
                } catch (NumberFormatException ex) {
                    v = -1;
                }
                if (v < 0 || v > 3600) {
                    throw QueryError.sender("InvalidConfigurationRequest", "The value of '" + e.getKey()
                            + "' must be an integer from 0 to 3600, not '" + e.getValue() + "'");
                }
            }
        }
        changes.forEach((k, v) -> tg.attributes.put(k, v.trim()));
        return new LinkedHashMap<>(tg.attributes);
    }

    // ---- listeners ----

    public synchronized Listener createListener(String loadBalancerArn, String protocol, int port, String targetGroupArn) {
        LoadBalancer lb = loadBalancer(loadBalancerArn);
        TargetGroup tg = targetGroup(targetGroupArn);
        Listener existing = lb.listeners.get(port);
        if (existing != null) {
            if (existing.protocol.equals(protocol) && existing.targetGroup == tg) {
                return existing;
            }
            throw QueryError.sender("DuplicateListener", "A listener already exists on port " + port
                    + " for this load balancer");
        }
        if (tg.loadBalancer != null && tg.loadBalancer != lb) {
            throw QueryError.sender("TargetGroupAssociationLimit", "The following target groups cannot be associated "
                    + "with more than one load balancer: '" + tg.arn + "'");
        }
        if (protocol.startsWith("HTTP") != tg.protocol.startsWith("HTTP")) {
            throw QueryError.sender("IncompatibleProtocols", "The listener's protocol " + protocol
                    + " is incompatible with the target group's protocol " + tg.protocol);
        }
        String id = hex(16);
        String arn = lb.arn.replace(":loadbalancer/", ":listener/") + "/" + id;
        Listener l = new Listener(arn, id, lb, protocol, port, tg, freePort());
        lb.listeners.put(port, l);
        LoadBalancer before = tg.loadBalancer;
        tg.loadBalancer = lb;
        try {
            lb.dataPlane.apply(lb);
        } catch (IOException e) {
            lb.listeners.remove(port);
            tg.loadBalancer = before;
            throw new QueryError("InternalFailure", 500, "The load balancer's HAProxy could not start: " + e.getMessage());
        }
        return l;
    }

    public synchronized List<Listener> describeListeners(String loadBalancerArn, List<String> arns) {
        List<Listener> all = new ArrayList<>();
        if (loadBalancerArn != null) {
            all.addAll(loadBalancer(loadBalancerArn).listeners.values());
        } else {
            loadBalancers.values().forEach(lb -> all.addAll(lb.listeners.values()));
        }
        if (arns.isEmpty()) {
            return all;
        }
        List<Listener> out = new ArrayList<>();
        for (String arn : arns) {
            out.add(all.stream().filter(l -> l.arn.equals(arn)).findFirst().orElseThrow(() ->
                    QueryError.sender("ListenerNotFound", "One or more listeners not found: '" + arn + "'")));
        }
        return out;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- targets ----

    /** A target to register: its id and port (the group's port when none is given). */
    public record TargetRef(String id, Integer port) {
    }

    public synchronized void registerTargets(String targetGroupArn, List<TargetRef> refs) {
        TargetGroup tg = targetGroup(targetGroupArn);
        List<Target> resolved = new ArrayList<>();
        for (TargetRef ref : refs) {
            resolved.add(resolve(tg, ref));
        }
        for (Target t : resolved) {
            Target existing = tg.targets.get(t.key());
            if (existing != null) {
                if (existing.draining) {
                    existing.draining = false;
                    if (existing.removal != null) {
                        existing.removal.cancel(false);
                        existing.removal = null;
                    }
                    dataPlane(tg, dp -> dp.ready(tg, existing));
                }
                continue;
            }
            tg.targets.put(t.key(), t);
            dataPlane(tg, dp -> dp.add(tg, t));
        }
    }

    private Target resolve(TargetGroup tg, TargetRef ref) {
        Integer port = ref.port() != null ? ref.port() : tg.port;
        if (port == null || port < 1 || port > 65535) {
            throw QueryError.validation("A port from 1 to 65535 is needed for target '" + ref.id() + "'");
        }
        String hcPort = tg.healthCheck.port();
        Integer hc = hcPort.equals("traffic-port") ? null : Integer.parseInt(hcPort);
        if (tg.targetType.equals("ip")) {
            if (!ref.id().startsWith("127.")) {
                throw QueryError.sender("InvalidTarget", "The IP address '" + ref.id() + "' is not reachable: the "
                        + "emulator's load balancers reach targets on the loopback network (127.0.0.0/8) only");
            }
            return new Target(ref.id(), port, ref.id(), port, hc);
        }
        InstanceControl ec2 = instances.get().orElseThrow(() -> QueryError.sender("InvalidTarget",
                "The target '" + ref.id() + "' is not an instance of this emulator: its EC2 is not running"));
        InstanceControl.InstanceView view = ec2.instances().stream().filter(i -> i.instanceId().equals(ref.id()))
                .findFirst().orElseThrow(() -> QueryError.sender("InvalidTarget", "The following targets are not "
                        + "valid instances: '" + ref.id() + "'"));
        if (!view.state().equals("running") && !view.state().equals("pending")) {
            throw QueryError.sender("InvalidTarget", "The following targets are not in a running state and cannot "
                    + "be registered: '" + ref.id() + "'");
        }
        OptionalInt hostPort = ec2.hostPort(ref.id(), port);
        Integer hcHost = hc == null ? null : ec2.hostPort(ref.id(), hc).orElse(hc);
        return new Target(ref.id(), port, "127.0.0.1", hostPort.orElseThrow(), hcHost);
    }

    /** Deregistered targets drain for the group's deregistration delay, then leave the group and HAProxy. */
    public synchronized void deregisterTargets(String targetGroupArn, List<TargetRef> refs) {
        TargetGroup tg = targetGroup(targetGroupArn);
        for (TargetRef ref : refs) {
            int port = ref.port() != null ? ref.port() : tg.port == null ? 0 : tg.port;
            Target t = tg.targets.get(Target.key(ref.id(), port));
            if (t == null || t.draining) {
                continue;
            }
            t.draining = true;
            int delay = tg.deregistrationDelaySeconds();
            if (delay == 0 || tg.loadBalancer == null) {
                remove(tg, t);
            } else {
                dataPlane(tg, dp -> dp.drain(tg, t));
                t.removal = drains.schedule(() -> {
                    synchronized (ElbService.this) {
                        if (t.draining && tg.targets.get(t.key()) == t) {
                            remove(tg, t);
                        }
                    }
                }, delay, TimeUnit.SECONDS);
            }
        }
    }

    private void remove(TargetGroup tg, Target t) {
        tg.targets.remove(t.key());
        dataPlane(tg, dp -> dp.remove(tg, t));
    }

    /** One target's health as DescribeTargetHealth reports it. */
    public record Health(String id, int port, String healthCheckPort, String state, String reason, String description) {
    }

    public synchronized List<Health> targetHealth(String targetGroupArn, List<TargetRef> asked) {
        TargetGroup tg = targetGroup(targetGroupArn);
        Map<String, Map<String, String>> stats = Map.of();
        if (tg.loadBalancer != null) {
            try {
                stats = tg.loadBalancer.dataPlane.stats(tg);
            } catch (IOException e) {
                throw new QueryError("InternalFailure", 500, "The load balancer's HAProxy did not answer: " + e.getMessage());
            }
        }
        List<Health> out = new ArrayList<>();
        if (asked.isEmpty()) {
            for (Target t : tg.targets.values()) {
                out.add(health(tg, t, stats.get(t.server())));
            }
            return out;
        }
        for (TargetRef ref : asked) {
            int port = ref.port() != null ? ref.port() : tg.port == null ? 0 : tg.port;
            Target t = tg.targets.get(Target.key(ref.id(), port));
            out.add(t != null ? health(tg, t, stats.get(t.server()))
                    : new Health(ref.id(), port, hcPort(tg, port), "unused", "Target.NotRegistered",
                    "Target is not registered to the target group"));
        }
        return out;
    }

    private static String hcPort(TargetGroup tg, int port) {
        return tg.healthCheck.port().equals("traffic-port") ? Integer.toString(port) : tg.healthCheck.port();
    }

    /**
     * AWS's state from HAProxy's: {@code initial} until a first check has concluded and while a target that was never
     * healthy has not yet failed as often as the unhealthy threshold, {@code healthy} while HAProxy has it up after a
     * passed check, {@code unhealthy} once HAProxy has it down, {@code draining} after
     * DeregisterTargets, {@code unused} when no load balancer forwards to the group.
     */
    private static Health health(TargetGroup tg, Target t, Map<String, String> row) {
        String hcPort = hcPort(tg, t.port);
        if (t.draining) {
            return new Health(t.id, t.port, hcPort, "draining", "Target.DeregistrationInProgress",
                    "Target deregistration is in progress");
        }
        if (tg.loadBalancer == null || row == null) {
            return new Health(t.id, t.port, hcPort, "unused", "Target.NotInUse",
                    "Target group is not configured to receive traffic from the load balancer");
        }
        String status = row.getOrDefault("status", "");
        String check = row.getOrDefault("check_status", "").replace("* ", "");
        boolean passed = check.startsWith("L4OK") || check.startsWith("L6OK") || check.startsWith("L7OK");
        boolean concluded = !check.isEmpty() && !check.startsWith("INI");
        if (status.startsWith("UP") && passed) {
            t.everHealthy = true;
            return new Health(t.id, t.port, hcPort, "healthy", null, null);
        }
        // A new server starts down and rises after passed checks: until then it is initial. A check that fails
        // before it was ever healthy makes it unhealthy at once (HAProxy counts no failures of a server down).
        boolean risingFirstTime = !t.everHealthy && status.startsWith("DOWN") && passed;
        if (!concluded || (status.startsWith("UP") && !t.everHealthy) || risingFirstTime) {
            return new Health(t.id, t.port, hcPort, "initial", "Elb.InitialHealthChecking", "Initial health checks in progress");
        }
        if (status.startsWith("UP")) {
            // failing, but not yet as often as the unhealthy threshold: ELB keeps it healthy too
            return new Health(t.id, t.port, hcPort, "healthy", null, null);
        }
        String code = row.getOrDefault("check_code", "");
        if (check.startsWith("L7STS")) {
            return new Health(t.id, t.port, hcPort, "unhealthy", "Target.ResponseCodeMismatch",
                    "Health checks failed with these codes: [" + code + "]");
        }
        if (check.contains("TOUT")) {
            return new Health(t.id, t.port, hcPort, "unhealthy", "Target.Timeout", "Request timed out");
        }
        return new Health(t.id, t.port, hcPort, "unhealthy", "Target.FailedHealthChecks", "Health checks failed");
    }

    private interface DataPlaneCall {
        void run(DataPlane dp) throws IOException;
    }

    private static void dataPlane(TargetGroup tg, DataPlaneCall call) {
        if (tg.loadBalancer == null) {
            return;
        }
        try {
            call.run(tg.loadBalancer.dataPlane);
        } catch (IOException e) {
            throw new QueryError("InternalFailure", 500, "The load balancer's HAProxy refused the change: " + e.getMessage());
        }
    }

    // ---- LoadBalancerControl ----

    @Override
    public synchronized boolean targetGroupExists(String targetGroupArn) {
        return targetGroups.containsKey(targetGroupArn);
    }

    @Override
    public void register(String targetGroupArn, List<String> instanceIds) {
        registerTargets(targetGroupArn, instanceIds.stream().map(id -> new TargetRef(id, null)).toList());
    }

    @Override
    public void deregister(String targetGroupArn, List<String> instanceIds) {
        deregisterTargets(targetGroupArn, instanceIds.stream().map(id -> new TargetRef(id, null)).toList());
    }

    @Override
    public synchronized Map<String, String> targetStates(String targetGroupArn) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Health h : targetHealth(targetGroupArn, List.of())) {
            out.put(h.id(), h.state());
        }
        return out;
    }

    @Override
    public synchronized Optional<URI> listenerEndpoint(String loadBalancerArn, int port) {
        LoadBalancer lb = loadBalancers.get(loadBalancerArn);
        Listener l = lb == null ? null : lb.listeners.get(port);
        return l == null ? Optional.empty() : Optional.of(URI.create("http://127.0.0.1:" + l.hostPort));
    }

    public synchronized List<String> describeLines() {
        List<String> lines = new ArrayList<>();
        for (LoadBalancer lb : loadBalancers.values()) {
            for (Listener l : lb.listeners.values()) {
                lines.add(String.format(Locale.ROOT, "  %s port %d -> http://127.0.0.1:%d", lb.name, l.port, l.hostPort));
            }
        }
        return lines;
    }

    @Override
    public synchronized void close() {
        drains.shutdownNow();
        for (LoadBalancer lb : loadBalancers.values()) {
            lb.dataPlane.close();
        }
    }
}
