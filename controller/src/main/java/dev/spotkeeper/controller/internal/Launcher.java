package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.ErrorType;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.core.cloud.LaunchRequest;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.market.Architecture;
import dev.spotkeeper.core.market.PoolSignals;
import dev.spotkeeper.core.placement.Candidate;
import dev.spotkeeper.core.placement.Placement;
import dev.spotkeeper.core.placement.PlacementContext;
import dev.spotkeeper.core.placement.Ranking;
import dev.spotkeeper.core.placement.Strategies;
import dev.spotkeeper.core.policy.Decision;
import dev.spotkeeper.core.store.EventFields;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.InstanceRole;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.workload.AgentSpec;
import dev.spotkeeper.core.workload.AgentSpecJson;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Launches the next instance of a workload: ranks the pools with the spec's strategy, skips pools that
 * interrupted us recently (and the pool being left), launches with the client token {@code <workload>-<generation>}
 * so a retry after a crash finds the same instance, records it and links it to the instance it replaces. For a
 * workload with a deadline, {@link Scheduling} decides spot (in which zone first), on-demand or no launch yet.
 */
final class Launcher {
    private static final int TOP = 20;
    private static final int ATTEMPTS = 3;

    private final Context ctx;
    private final Scheduling scheduling;
    private final StartFence fence;

    Launcher(Context ctx, StartFence fence) {
        this.ctx = ctx;
        this.scheduling = new Scheduling(ctx);
        this.fence = fence;
    }

    Scheduling scheduling() {
        return scheduling;
    }

    /** The best spot pool for the workload now, leaving out {@code avoid} and recently interrupting pools. */
    Optional<PoolSignals> bestPool(WorkloadSpec spec, Set<String> avoid) {
        return ranked(spec, avoid).stream().findFirst();
    }

    List<PoolSignals> ranked(WorkloadSpec spec, Set<String> avoid) {
        Instant now = ctx.clock.instant();
        Ranking ranking = Placement.rank(ctx.market.current(), spec.requirements(), Strategies.byName(spec.strategy()),
                PlacementContext.defaults(now, ctx.memory), TOP, false);
        List<PoolSignals> fresh = new ArrayList<>();
        List<PoolSignals> fallback = new ArrayList<>();
        for (Candidate c : ranking.candidates()) {
            PoolSignals p = c.signals();
            if (avoid.contains(p.pool().key())) {
                continue;
            }
            (ctx.memory.sinceLastInterruption(p.pool(), now).isPresent() ? fallback : fresh).add(p);
        }
        // Every good pool interrupted us lately: going back to one beats not running at all.
        fresh.addAll(fallback);
        return fresh;
    }

    /** Launches generation n+1; empty (with the reason in the journal) when no pool would take it. */
    Optional<InstanceRecord> launch(WorkloadRecord w, WorkloadSpec spec, String replaces, Set<String> avoid) {
        return launch(w, spec, replaces, avoid, Optional.empty());
    }

    /**
     * As {@link #launch(WorkloadRecord, WorkloadSpec, String, Set)}, with the scheduling decision already made
     * ({@code decided}, a hand-over's spot start) instead of asked for.
     */
    Optional<InstanceRecord> launch(WorkloadRecord w, WorkloadSpec spec, String replaces, Set<String> avoid,
                                    Optional<Decision> decided) {
        Instant now = ctx.clock.instant();
        List<InstanceRecord> history = ctx.store.instances(w.name());
        if (!replaces.isEmpty()) {
            // Another controller (or this one, before a crash) recorded a replacement and has not named it on the
            // old instance yet: that one is the replacement, and launching another would be a second.
            Optional<InstanceRecord> recorded = history.stream().filter(h -> h.replaces().equals(replaces))
                    .filter(h -> !h.state().isTerminal()).findFirst();
            if (recorded.isPresent()) {
                ctx.records.link(replaces, recorded.get().instanceId(), now);
                return ctx.store.instance(recorded.get().instanceId());
            }
        }
        int generation = history.size() + 1;
        List<PoolSignals> pools = ranked(spec, avoid);
        if (pools.isEmpty()) {
            ctx.journal.note(w.name(), "", Kind.LAUNCH_FAILED, "no pool meets the requirements (or every one is being"
                    + " left); will retry");
            return Optional.empty();
        }
        Decision decision = decided.isPresent() ? decided.get() : spec.deadline().isEmpty() ? Decision.NONE
                : scheduling.forLaunch(w, spec, ranked(spec, Set.of()), avoid, replaces, now).decision();
        if (spec.deadline().isPresent() && decision instanceof Decision.None) {
            return Optional.empty();
        }
        boolean onDemand = decision instanceof Decision.OnDemand;
        pools = new ArrayList<>(pools);
        if (decision instanceof Decision.OnDemand od) {
            pools.sort(Comparator.comparing((PoolSignals p) -> !p.pool().region().equals(od.region()))
                    .thenComparingDouble(Launcher::onDemandPrice));
        } else if (decision instanceof Decision.Spot spot) {
            // A stable sort: the policy's zone first, the strategy's order within it and after it.
            pools.sort(Comparator.comparing((PoolSignals p) -> !p.pool().zone().equals(spot.zone())));
        }
        Optional<AgentSpec.Location> agentSpec = publish(AgentSpec.of(spec, generation));
        // Started at once when no other instance may be running the job; otherwise the fence starts it later.
        Optional<String> start = fence.atLaunch(w.name(), replaces);
        for (int attempt = 0; attempt < Math.min(ATTEMPTS, pools.size()); attempt++) {
            PoolSignals pool = pools.get(attempt);
            String token = w.name() + "-" + generation + (attempt == 0 ? "" : "." + attempt);
            try {
                CloudInstance launched = ctx.compute.launch(request(w, spec, pool, generation, token, replaces, onDemand,
                        start, agentSpec, now));
                boolean armByDefault = spec.requirements().architecture().isEmpty()
                        && pool.type().architecture() == Architecture.ARM64;
                return Optional.of(record(w.name(), launched, pool, onDemand, replaces, generation, start,
                        armByDefault));
            } catch (SpotkeeperException e) {
                ctx.journal.note(w.name(), "", Kind.LAUNCH_FAILED, pool.pool().key() + ": " + e.getMessage());
                if (e.code().type() != ErrorType.CAPACITY) {
                    // Throttled or the response was lost: the instance may exist; the next pass looks for it by tag.
                    throw e;
                }
                ctx.rememberPool(w.name(), pool.pool().key(), now);
            }
        }
        return Optional.empty();
    }

    private LaunchRequest request(WorkloadRecord w, WorkloadSpec spec, PoolSignals pool, int generation, String token,
                                  String replaces, boolean onDemand, Optional<String> start,
                                  Optional<AgentSpec.Location> agentSpec, Instant now) {
        // The max duration counts from the job's start. Before it started, the job starts at the latest within the agent
        // start timeout of this launch (else the workload fails), so the timer allows for that much more.
        Optional<Duration> failSafe = spec.maxDuration().map(d -> w.run().startedAt()
                .map(started -> Duration.between(now, started.plus(d)))
                .orElse(d.plus(ctx.config.agentStartTimeout()))
                .plus(ctx.config.evacuationGrace()));
        String userData = UserData.script(ctx.config, w.name(), generation, agentSpec, failSafe);
        return new LaunchRequest(token, pool.pool().region(), pool.pool().zone(), pool.pool().instanceType(),
                !onDemand, onDemand ? Optional.empty() : spec.maxPrice(), ctx.config.imageId(), userData,
                Tags.launch(w.name(), generation, replaces, start));
    }

    /**
     * Leaves the instance its agent spec, before the launch so that the agent finds it at its start. Each generation
     * has its own object, and a retried launch of the same generation writes the same bytes again. A workload with no
     * checkpoint location has no place for it: its agent is started without one and reports that it cannot run.
     */
    private Optional<AgentSpec.Location> publish(AgentSpec agentSpec) {
        if (agentSpec.buckets().checkpoints().isBlank()) {
            return Optional.empty();
        }
        AgentSpec.Location at = agentSpec.location();
        ctx.objects.bucket(at.bucket()).putBytes(at.key(), AgentSpecJson.write(agentSpec).getBytes(StandardCharsets.UTF_8));
        return Optional.of(at);
    }

    private InstanceRecord record(String workload, CloudInstance launched, PoolSignals pool, boolean onDemand,
                                  String replaces, int generation, Optional<String> start, boolean armByDefault) {
        Instant now = ctx.clock.instant();
        double price = onDemand ? onDemandPrice(pool) : pool.spotPrice();
        InstanceState state = launched.state().equals("running") ? InstanceState.RUNNING : InstanceState.PENDING;
        InstanceRecord r = new InstanceRecord(launched.instanceId(), workload, pool.pool().key(), !onDemand, price,
                state, replaces, "", now, now, 0).withStart(start.orElse(""))
                .withRole(InstanceRole.of(replaces), slotOf(replaces));
        ctx.store.createInstance(r);
        if (!replaces.isEmpty()) {
            ctx.records.link(replaces, launched.instanceId(), now);
        }
        ctx.journal.note(workload, launched.instanceId(), Kind.LAUNCHED, String.format(java.util.Locale.ROOT,
                "generation %d, %s %s at $%.4f/h%s", generation, onDemand ? "on-demand" : "spot", pool.pool().key(),
                price, replaces.isEmpty() ? "" : ", replacing " + replaces
                        + (start.isPresent() ? "" : "; it starts the job once " + replaces + " has stopped it"))
                + (armByDefault ? "; " + pool.type().name() + " is arm64 (Graviton), chosen because requirements.arch"
                        + " is not set: if the job needs x86, pin `requirements: {arch: x86_64}`" : ""),
                fields(pool, price, onDemand));
        return ctx.store.instance(launched.instanceId()).orElse(r);
    }

    private EventFields fields(PoolSignals pool, double price, boolean onDemand) {
        EventFields f = EventFields.NONE.withInstance(pool.pool().key(), price, !onDemand);
        // No on-demand price known for the pool: told without one rather than with the spot price.
        return Double.isNaN(pool.onDemandPrice()) ? f : f.withOnDemandPrice(pool.onDemandPrice());
    }

    /** The slot of the instance replaced (a replacement takes its slot over); slot 0 for a first instance. */
    private int slotOf(String replaces) {
        return replaces.isEmpty() ? 0 : ctx.store.instance(replaces).map(InstanceRecord::slot).orElse(0);
    }

    static double onDemandPrice(PoolSignals p) {
        return Double.isNaN(p.onDemandPrice()) ? p.spotPrice() : p.onDemandPrice();
    }
}
