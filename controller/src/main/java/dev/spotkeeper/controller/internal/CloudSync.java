package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.InstanceRole;
import dev.spotkeeper.core.store.WorkloadRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Brings the store in line with what the cloud reports, found by our tags: instances launched but never recorded
 * (the controller stopped between the launch and the write) are adopted, recorded instances the cloud no longer
 * runs are terminated in the store, and managed instances of no known workload are terminated in the cloud.
 */
final class CloudSync {
    /** DescribeInstances is eventually consistent: a fresh instance may not be listed for a few seconds. */
    private static final Duration LISTING_LAG = Duration.ofMinutes(1);

    private final Context ctx;

    CloudSync(Context ctx) {
        this.ctx = ctx;
    }

    /** The workload's instances in the cloud, by id, from the regions of its records and (when asked) more. */
    Map<String, CloudInstance> find(WorkloadRecord w, Set<String> extraRegions) {
        Set<String> regions = new TreeSet<>(extraRegions);
        Instant recently = ctx.clock.instant().minus(ctx.config.evacuationGrace());
        for (InstanceRecord r : ctx.store.instances(w.name())) {
            // Also where an instance that ran the job without committing it just ended: the start fence waits for
            // EC2 to confirm it is gone.
            if (!r.state().isTerminal() || (r.released() && r.committed().isEmpty() && r.updatedAt().isAfter(recently))) {
                regions.add(Moves.region(r));
            }
        }
        Map<String, CloudInstance> out = new HashMap<>();
        for (String region : regions) {
            for (CloudInstance c : ctx.compute.find(region, Tags.of(w.name()))) {
                out.put(c.instanceId(), c);
            }
        }
        return out;
    }

    void sync(WorkloadRecord w, Map<String, CloudInstance> cloud) {
        Instant now = ctx.clock.instant();
        for (CloudInstance c : cloud.values()) {
            if (!c.isGone() && ctx.store.instance(c.instanceId()).isEmpty()) {
                adopt(w, c, now);
            }
        }
        for (InstanceRecord r : ctx.store.instances(w.name())) {
            if (r.state().isTerminal()) {
                continue;
            }
            CloudInstance c = cloud.get(r.instanceId());
            if (c != null && !c.isGone() && c.spot() != r.spot()) {
                correctLifecycle(w, r, c, now);
            }
            boolean missing = c == null && Duration.between(r.launchedAt(), now).compareTo(LISTING_LAG) > 0;
            if (missing || (c != null && c.isGone())) {
                if (ctx.records.move(r.instanceId(), InstanceState.TERMINATED, now)) {
                    ctx.journal.note(w.name(), r.instanceId(), Kind.TERMINATED,
                            "the cloud reports it " + (c == null ? "gone" : c.state()));
                }
            }
        }
    }

    /**
     * A record made before EC2 listed the instance (a fleet member recorded from its group, which does not say how
     * it was bought) is recorded as spot; EC2 says what it is, and the ledger bills that from its launch on.
     */
    private void correctLifecycle(WorkloadRecord w, InstanceRecord r, CloudInstance c, Instant now) {
        double price = ctx.pool(r.poolKey()).map(p -> c.spot() ? p.spotPrice() : Launcher.onDemandPrice(p))
                .orElse(r.pricePerHour());
        if (ctx.records.lifecycle(r.instanceId(), c.spot(), price, now)) {
            ctx.journal.note(w.name(), r.instanceId(), Kind.ADOPTED, String.format(java.util.Locale.ROOT,
                    "EC2 lists it %s: billed so at $%.4f/h", c.spot() ? "spot" : "on demand", price));
        }
    }

    /** The evacuation deadline the instance was tagged with, if any. */
    static Optional<Instant> evacuateTag(CloudInstance c) {
        String v = c == null ? null : c.tags().get(Tags.EVACUATE);
        if (v == null || v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(v));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Terminates managed instances whose workload this store does not know; returns how many. */
    int terminateOrphans(Set<String> regions) {
        int n = 0;
        for (String region : regions) {
            for (CloudInstance c : ctx.compute.find(region, Tags.managed())) {
                String workload = c.tags().getOrDefault(Tags.WORKLOAD, "");
                if (!c.isGone() && ctx.store.workload(workload).isEmpty()) {
                    ctx.compute.terminate(region, c.instanceId());
                    ctx.journal.note(workload, c.instanceId(), Kind.TERMINATED,
                            "managed instance of no known workload: terminated");
                    n++;
                }
            }
        }
        return n;
    }

    private void adopt(WorkloadRecord w, CloudInstance c, Instant now) {
        String poolKey = c.region() + "/" + c.availabilityZone() + "/" + c.instanceType();
        double price = ctx.pool(poolKey).map(p -> c.spot() ? p.spotPrice() : Launcher.onDemandPrice(p)).orElse(0.0);
        String replaces = c.tags().getOrDefault(Tags.REPLACES, "");
        InstanceState state = c.state().equals("running") ? InstanceState.RUNNING : InstanceState.PENDING;
        Instant launched = c.launchTime().isAfter(now) ? now : c.launchTime();
        if (ctx.store.createInstance(new InstanceRecord(c.instanceId(), w.name(), poolKey, c.spot(), price, state,
                replaces, "", launched, now, 0).withStart(c.tags().getOrDefault(Tags.START, ""))
                .withRole(InstanceRole.of(replaces), replaces.isEmpty() ? 0
                        : ctx.store.instance(replaces).map(InstanceRecord::slot).orElse(0)))) {
            ctx.journal.note(w.name(), c.instanceId(), Kind.ADOPTED, c.tags().containsKey(Tags.GENERATION)
                    ? "launched (generation " + c.tags().get(Tags.GENERATION) + ") but not recorded: adopted"
                    : "launched by the workload's Auto Scaling group in " + poolKey + ": recorded");
        }
        if (!replaces.isEmpty()) {
            ctx.records.link(replaces, c.instanceId(), now);
        }
    }

    static List<InstanceRecord> live(List<InstanceRecord> all) {
        return all.stream().filter(r -> !r.state().isTerminal()).toList();
    }
}
