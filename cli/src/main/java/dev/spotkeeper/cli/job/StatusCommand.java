package dev.spotkeeper.cli.job;

import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code spotkeeper status NAME}: where a workload is and every instance it has had. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a workload: status, progress, last checkpoint, money spent and every instance it ran on.")
public final class StatusCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeploymentOptions deployment;

    @Parameters(index = "0", paramLabel = "NAME", description = "Workload name.")
    String name;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (JobBackend backend = JobBackends.open(deployment)) {
            WorkloadRecord w = Jobs.workload(backend, name);
            List<InstanceRecord> instances = backend.store().instances(name).stream().filter(w::isCurrent).toList();
            double spent = Jobs.controller(backend).spent(name);
            out.println("workload:    " + w.name());
            out.println("status:      " + Jobs.status(w));
            out.println(String.format(Locale.ROOT, "progress:    %.1f %%", w.progress() * 100));
            out.println("checkpoint:  " + checkpoint(w));
            out.println("submitted:   " + w.submittedAt());
            out.println("spent:       " + Jobs.dollars(spent));
            service(backend, w, out);
            fleet(backend, w, out);
            out.println("instances:");
            for (InstanceRecord r : instances) {
                out.println(String.format(Locale.ROOT, "  %-20s %-11s %-36s %-9s $%.4f/h%s", r.instanceId(),
                        r.state().name().toLowerCase(Locale.ROOT), r.poolKey(), r.spot() ? "spot" : "on-demand",
                        r.pricePerHour(), r.replaces().isEmpty() ? "" : "  replaces " + r.replaces()));
            }
            if (instances.isEmpty()) {
                out.println("  none yet");
            }
            out.flush();
            return 0;
        }
    }

    /**
     * For a service: its primary, its endpoint (never the password), the last shipped GTID and the number of moves.
     */
    private static void service(JobBackend backend, WorkloadRecord w, PrintWriter out) {
        dev.spotkeeper.core.workload.WorkloadSpec s;
        try {
            s = dev.spotkeeper.core.workload.WorkloadSpecJson.read("stored", w.specText());
        } catch (RuntimeException e) {
            return;
        }
        if (s.kind() != dev.spotkeeper.core.workload.WorkloadKind.SERVICE) {
            return;
        }
        List<InstanceRecord> all = backend.store().instances(w.name());
        String primary = all.stream().filter(r -> !r.state().isTerminal() && r.replacedBy().isEmpty())
                .reduce((a, b) -> b).map(r -> r.instanceId() + " (" + r.state().name().toLowerCase(Locale.ROOT) + ")")
                .orElse("none");
        out.println("primary:     " + primary);
        String endpoint = "none yet";
        if (backend.addresses().isPresent() && !w.status().isTerminal()) {
            for (String region : s.requirements().regions()) {
                var a = backend.addresses().get().find(region, w.name());
                if (a.isPresent()) {
                    endpoint = a.get().host() + ":" + a.get().port(EndpointCommand.DATABASE_PORT) + " ("
                            + a.get().publicIp() + (a.get().instanceId().map(i -> " on " + i).orElse("")) + ")";
                    break;
                }
            }
        }
        out.println("endpoint:    " + endpoint);
        out.println("moves:       " + all.stream().filter(r -> !r.replaces().isEmpty()).count());
    }

    /** The newest checkpoint, and, when a restore skipped newer ones, the one the job resumed from and why. */
    private static String checkpoint(WorkloadRecord w) {
        String last = w.lastCheckpoint().isEmpty() ? "none yet" : w.lastCheckpoint();
        List<String> skipped = w.run().skippedCheckpoints();
        if (skipped.isEmpty()) {
            return last;
        }
        String from = w.run().restoredCheckpoint().isEmpty() ? "started afresh" : "resumed from "
                + w.run().restoredCheckpoint();
        return last + " (the job " + from + ", skipping " + String.join("; ", skipped) + ")";
    }

    /**
     * For a fleet, from what the controller stored at its last pass (no cloud call): the group and its desired
     * capacity, the load balancer's URL, per pool (zone × type) the members counted towards the desired capacity, the
     * healthy and the draining ones, and each member with its lifecycle and target state.
     */
    static void fleet(JobBackend backend, WorkloadRecord w, PrintWriter out) {
        dev.spotkeeper.core.workload.WorkloadSpec s;
        try {
            s = dev.spotkeeper.core.workload.WorkloadSpecJson.read("stored", w.specText());
        } catch (RuntimeException e) {
            return;
        }
        if (!(s.extension() instanceof dev.spotkeeper.core.workload.FleetExtension ext)) {
            return;
        }
        dev.spotkeeper.core.store.FleetState f = w.fleet();
        if (!f.made()) {
            out.println("fleet:       " + ext.replicas() + " replicas; no group yet");
            return;
        }
        out.println("fleet:       group " + f.groupName() + " in " + f.region() + ", desired " + f.desired() + " for "
                + ext.replicas() + " replicas" + (f.deleted() ? " (deleted)" : "")
                + f.observedAt().map(t -> ", as seen at " + t).orElse(""));
        out.println("endpoint:    " + (f.deleted() ? "none (deleted)" : backend.loadBalancerUrl(f.loadBalancerArn(),
                f.dnsName())));
        java.util.Map<String, int[]> pools = new java.util.TreeMap<>();
        for (dev.spotkeeper.core.store.FleetState.Member m : f.members()) {
            int[] c = pools.computeIfAbsent(m.zone() + " " + m.instanceType(), k -> new int[3]);
            if (m.lifecycleState().startsWith("Pending") || m.lifecycleState().equals("InService")) {
                c[0]++;
            }
            if (m.targetState().equals("healthy") && m.lifecycleState().equals("InService")) {
                c[1]++;
            }
            if (m.targetState().equals("draining") || m.lifecycleState().startsWith("Detach")
                    || m.lifecycleState().startsWith("Terminating")) {
                c[2]++;
            }
        }
        out.println("pools:       zone × type, desired / healthy / draining");
        pools.forEach((pool, c) -> out.println(String.format(Locale.ROOT, "  %-28s %3d %3d %3d", pool, c[0], c[1],
                c[2])));
        if (pools.isEmpty()) {
            out.println("  none yet");
        }
        out.println("members:");
        for (dev.spotkeeper.core.store.FleetState.Member m : f.members()) {
            out.println(String.format(Locale.ROOT, "  %-20s %-18s %-9s %s %s", m.instanceId(), m.lifecycleState(),
                    m.targetState().isEmpty() ? "-" : m.targetState(), m.zone(), m.instanceType()));
        }
    }
}
