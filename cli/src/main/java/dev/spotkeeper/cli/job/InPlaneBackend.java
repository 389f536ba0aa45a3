package dev.spotkeeper.cli.job;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.core.cloud.ObjectStores;
import dev.spotkeeper.core.market.MarketPort;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The plane's own backend as the job commands it runs for other processes see it: the resident controller's
 * ports, shared (closing a command's view closes nothing), with that controller running the jobs.
 */
final class InPlaneBackend implements JobBackend {
    private final EmulatorBackend backend;
    private final Path journal;
    private final Consumer<String> reconcile;
    private final String description;

    /** @param reconcile asks the resident controller to reconcile a workload now */
    InPlaneBackend(EmulatorBackend backend, Path journal, Consumer<String> reconcile, String description) {
        this.backend = requireNonNull(backend, "backend is null");
        this.journal = requireNonNull(journal, "journal is null");
        this.reconcile = requireNonNull(reconcile, "reconcile is null");
        this.description = requireNonNull(description, "description is null");
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public StateStore store() {
        return backend.store();
    }

    @Override
    public ComputePort compute() {
        return backend.compute();
    }

    @Override
    public EventQueuePort queue() {
        return backend.queue();
    }

    /** The resident controller's own market: one cache of the live signals for the plane and its commands. */
    @Override
    public MarketPort market() {
        return backend.market();
    }

    @Override
    public ObjectStores objects() {
        return backend.objects();
    }

    @Override
    public Optional<dev.spotkeeper.core.market.MarketSnapshot> submitMarket() {
        return backend.submitMarket();
    }

    @Override
    public ControllerConfig config() {
        return backend.config();
    }

    @Override
    public Clock clock() {
        return backend.clock();
    }

    @Override
    public boolean resident() {
        return true;
    }

    @Override
    public Optional<Path> journal() {
        return Optional.of(journal);
    }

    @Override
    public Optional<dev.spotkeeper.core.cloud.AddressPort> addresses() {
        return backend.addresses();
    }

    @Override
    public String loadBalancerUrl(String loadBalancerArn, String dnsName) {
        return backend.loadBalancerUrl(loadBalancerArn, dnsName);
    }

    @Override
    public Optional<dev.spotkeeper.core.cloud.FleetPort> fleets() {
        return backend.fleets();
    }

    @Override
    public Optional<dev.spotkeeper.core.cloud.SecretStorePort> databaseSecrets() {
        return backend.databaseSecrets();
    }

    @Override
    public void prepare(WorkloadSpec spec) {
        backend.prepare(spec);
    }

    @Override
    public void reconcileSoon(String workload) {
        reconcile.accept(workload);
    }

    /** The plane's backend outlives every command. */
    @Override
    public void close() {
    }
}
