package dev.spotkeeper.emulator.elb.internal;

import dev.spotkeeper.emulator.elb.internal.Model.HealthCheck;
import dev.spotkeeper.emulator.elb.internal.Model.Listener;
import dev.spotkeeper.emulator.elb.internal.Model.LoadBalancer;
import dev.spotkeeper.emulator.elb.internal.Model.Target;
import dev.spotkeeper.emulator.elb.internal.Model.TargetGroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The HAProxy of one load balancer: a frontend per listener on its own port of 127.0.0.1 and a backend per target
 * group, written to {@code haproxy.cfg} in the load balancer's directory. A new listener rewrites the file and
 * restarts HAProxy (listeners are set up once, before traffic); targets come and go through the runtime API only:
 * {@code add server}, {@code set server … state drain}, and {@code del server} once drained.
 */
final class DataPlane implements AutoCloseable {
    private final Path directory;
    private final Path socket;
    private Haproxy haproxy;

    DataPlane(Path directory, Path socket) {
        this.directory = directory;
        this.socket = socket;
    }

    /** Writes the configuration for the load balancer's listeners and (re)starts HAProxy with every target added. */
    void apply(LoadBalancer lb) throws IOException {
        Files.createDirectories(directory);
        Path config = directory.resolve("haproxy.cfg");
        Files.writeString(config, config(lb), StandardCharsets.UTF_8);
        if (haproxy != null) {
            haproxy.close();
            haproxy = null;
        }
        haproxy = Haproxy.start(config, socket, directory.resolve("haproxy.log"));
        for (TargetGroup tg : targetGroups(lb)) {
            for (Target t : tg.targetList()) {
                add(tg, t);
                if (t.draining) {
                    drain(tg, t);
                }
            }
        }
    }

    boolean running() {
        return haproxy != null && haproxy.alive();
    }

    static List<TargetGroup> targetGroups(LoadBalancer lb) {
        Set<TargetGroup> groups = new LinkedHashSet<>();
        lb.listeners.values().forEach(l -> groups.add(l.targetGroup));
        return new ArrayList<>(groups);
    }

    String config(LoadBalancer lb) {
        StringBuilder c = new StringBuilder();
        c.append("# The emulated load balancer ").append(lb.name).append(" (").append(lb.arn).append(").\n")
                .append("# Written by the emulator; targets are added and removed through the runtime API.\n")
                .append("global\n")
                .append("    stats socket ").append(socket).append(" mode 600 level admin\n")
                .append("defaults\n")
                .append("    timeout connect 2s\n")
                .append("    timeout client 60s\n")
                .append("    timeout server 60s\n")
                .append("    timeout http-keep-alive 5s\n")
                // a request that reached a target which was just stopped goes to another (ALB does the same)
                .append("    retries 3\n")
                .append("    option redispatch 1\n");
        for (Listener l : lb.listeners.values()) {
            String mode = mode(l.targetGroup.protocol);
            c.append("frontend listener-").append(l.port).append('\n')
                    .append("    mode ").append(mode).append('\n')
                    .append("    bind 127.0.0.1:").append(l.hostPort).append('\n')
                    .append("    default_backend ").append(l.targetGroup.backend()).append('\n');
            if (mode.equals("http")) {
                c.append("    option http-server-close\n");
            }
        }
        for (TargetGroup tg : targetGroups(lb)) {
            String mode = mode(tg.protocol);
            HealthCheck hc = tg.healthCheck;
            c.append("backend ").append(tg.backend()).append('\n')
                    .append("    mode ").append(mode).append('\n')
                    .append("    balance roundrobin\n")
                    .append("    timeout check ").append(hc.timeoutSeconds()).append("s\n");
            if (mode.equals("http")) {
                c.append("    retry-on conn-failure empty-response response-timeout\n");
            }
            if (hc.protocol().startsWith("HTTP")) {
                c.append("    option httpchk GET ").append(hc.path()).append('\n')
                        .append("    http-check expect rstatus ^(").append(statusRegex(hc.matcher())).append(")$\n");
            }
        }
        return c.toString();
    }

    private static String mode(String protocol) {
        return protocol.startsWith("HTTP") ? "http" : "tcp";
    }

    /** {@code 200}, {@code 200,202} or {@code 200-299} as an alternation of codes. */
    static String statusRegex(String matcher) {
        List<String> codes = new ArrayList<>();
        for (String part : matcher.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            if (dash > 0) {
                int from = Integer.parseInt(p.substring(0, dash).trim());
                int to = Integer.parseInt(p.substring(dash + 1).trim());
                for (int code = from; code <= to; code++) {
                    codes.add(Integer.toString(code));
                }
            } else {
                codes.add(Integer.toString(Integer.parseInt(p)));
            }
        }
        return String.join("|", codes);
    }

    /** Adds the target as a server with its health check; it takes traffic once its checks passed. */
    void add(TargetGroup tg, Target t) throws IOException {
        if (!running()) {
            return;
        }
        HealthCheck hc = tg.healthCheck;
        String server = tg.backend() + "/" + t.server();
        String line = String.format(Locale.ROOT, "add server %s %s:%d check inter %ds fastinter %ds rise %d fall %d",
                server, t.address, t.hostPort, hc.intervalSeconds(), hc.intervalSeconds(), hc.healthyThreshold(),
                hc.unhealthyThreshold());
        if (t.healthCheckHostPort != null) {
            line += " port " + t.healthCheckHostPort;
        }
        haproxy.expect(line);
        haproxy.expect("enable health " + server);
        // HAProxy counts a new server up until its checks say otherwise; ELB sends a target nothing before it
        // passed its checks (state initial). Down at first, it takes traffic after `rise` passed checks.
        haproxy.expect("enable server " + server);
        haproxy.expect("set server " + server + " health down");
    }

    /** No new connections to the target; those it has may finish (HAProxy's drain, ELB's draining). */
    void drain(TargetGroup tg, Target t) throws IOException {
        if (running()) {
            haproxy.expect("set server " + tg.backend() + "/" + t.server() + " state drain");
        }
    }

    /** Back to taking traffic (the target was registered again while it drained). */
    void ready(TargetGroup tg, Target t) throws IOException {
        if (running()) {
            haproxy.expect("set server " + tg.backend() + "/" + t.server() + " state ready");
        }
    }

    /** Ends what the target still serves and removes it (a server must be in maintenance to be deleted). */
    void remove(TargetGroup tg, Target t) throws IOException {
        if (!running()) {
            return;
        }
        String server = tg.backend() + "/" + t.server();
        haproxy.command("set server " + server + " state maint");
        haproxy.command("shutdown sessions server " + server);
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                haproxy.expect("del server " + server);
                return;
            } catch (IOException e) {
                last = e;
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw last != null ? last : new IOException("interrupted while removing " + server);
    }

    /** Server name → its {@code show stat} row, for one target group; empty when HAProxy is not running. */
    Map<String, Map<String, String>> stats(TargetGroup tg) throws IOException {
        return running() ? haproxy.serverStats(tg.backend()) : Map.of();
    }

    @Override
    public void close() {
        if (haproxy != null) {
            haproxy.close();
            haproxy = null;
        }
    }
}
