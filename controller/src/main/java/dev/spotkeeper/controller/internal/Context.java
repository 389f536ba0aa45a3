package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.cloud.ObjectStores;
import dev.spotkeeper.core.market.MarketPort;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.PoolSignals;
import dev.spotkeeper.core.placement.InterruptionMemory;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.PolicyState;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.core.store.WorkloadSnapshot;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.core.workload.WorkloadSpecJson;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What the controller's parts share: ports, configuration, clock, journal and the memory of interruptions. */
public final class Context {
    private static final int MAX_SPECS = 1_000;

    final PassStore store;
    final ComputePort compute;
    final MarketPort market;
    final ObjectStores objects;
    /** Specs by their stored text: read once, not on every pass and every event. */
    private final Map<String, WorkloadSpec> specs = new ConcurrentHashMap<>();
    final ControllerConfig config;
    final Clock clock;
    final Journal journal;
    final InterruptionMemory memory;
    final Records records;
    /** The keys of the notices this controller recorded (or found recorded), so each costs the store one write. */
    final java.util.Set<String> noticed = ConcurrentHashMap.newKeySet();
    final StableEndpoints endpoints;
    /** The fleets' Auto Scaling groups and load balancers; null in a controller built without them. */
    volatile dev.spotkeeper.core.cloud.FleetPort fleets;
    private MarketSnapshot indexed;
    private Map<String, PoolSignals> byKey = Map.of();

    public Context(StateStore store, ComputePort compute, MarketPort market,
                   ObjectStores objects, ControllerConfig config, Clock clock, Journal journal,
                   InterruptionMemory memory) {
        this.store = new PassStore(store, this::recall);
        this.compute = compute;
        this.market = market;
        this.objects = objects;
        this.config = config;
        this.clock = clock;
        this.journal = journal;
        this.memory = memory;
        this.records = new Records(this.store);
        this.endpoints = new StableEndpoints(journal);
    }

    /** Gives services their stable address through {@code addresses}. */
    public void useAddresses(dev.spotkeeper.core.cloud.AddressPort addresses) {
        endpoints.use(addresses);
    }

    /** Runs fleets ({@code kind: fleet}) through {@code port}: their groups, target groups and load balancers. */
    public void useFleets(dev.spotkeeper.core.cloud.FleetPort port) {
        this.fleets = port;
    }

    /** True when fleets can run: a fleet port was given. */
    public boolean runsFleets() {
        return fleets != null;
    }

    /** The store, read once per pass over a workload (see {@link PassStore}). */
    public PassStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    public ControllerConfig config() {
        return config;
    }

    /**
     * The workload's spec, read from its stored canonical JSON; throws for a text it cannot read (one of a newer
     * schema version among them).
     */
    WorkloadSpec spec(String specText) {
        if (specs.size() > MAX_SPECS) {
            specs.clear();
        }
        return specs.computeIfAbsent(specText, text -> WorkloadSpecJson.read("the stored spec", text));
    }

    /**
     * Recalls what a snapshot says about pools (interruptions on its instance records, refusals and interruptions
     * in its policy state), so this controller avoids the pools any controller on the store saw fail lately.
     */
    void recall(WorkloadSnapshot s) {
        s.instances().forEach(this::recall);
        s.policy().pools().forEach((key, at) -> memory.recordInterruption(Moves.pool(key), at));
    }

    /**
     * The pool refused capacity to, or took an instance back from, the workload at {@code at}: remembered here and
     * in the workload's stored policy state, so a restarted or second controller avoids it as this one does.
     */
    void rememberPool(String workload, String poolKey, Instant at) {
        memory.recordInterruption(Moves.pool(poolKey), at);
        for (int i = 0; i < 5; i++) {
            PolicyState current = store.policyState(workload).orElse(PolicyState.NONE);
            PolicyState next = current.withPool(poolKey, at);
            if (next == current || store.updatePolicyState(workload, next)) {
                return;
            }
        }
    }

    /** Remembers a stored interruption, so a controller started after it still avoids that pool for a while. */
    public void recall(InstanceRecord r) {
        if (r.spot()) {
            r.interruptedAt().ifPresent(at -> memory.recordInterruption(Moves.pool(r.poolKey()), at));
        }
    }

    /** The pool's current signals, if the market lists it. */
    synchronized Optional<PoolSignals> pool(String poolKey) {
        MarketSnapshot now = market.current();
        if (now != indexed) {
            Map<String, PoolSignals> index = new HashMap<>();
            for (PoolSignals p : now.pools()) {
                index.put(p.pool().key(), p);
            }
            byKey = index;
            indexed = now;
        }
        return Optional.ofNullable(byKey.get(poolKey));
    }
}
