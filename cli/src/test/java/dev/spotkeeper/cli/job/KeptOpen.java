package dev.spotkeeper.cli.job;

import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.core.cloud.ObjectStores;
import dev.spotkeeper.core.market.MarketPort;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** A backend a test owns, handed to commands that close what they open: their close leaves it open. */
record KeptOpen(JobBackend backend) implements JobBackend {
    @Override
    public String description() {
        return backend.description();
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

    @Override
    public MarketPort market() {
        return backend.market();
    }

    @Override
    public ObjectStores objects() {
        return backend.objects();
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
        return backend.resident();
    }

    @Override
    public Optional<Path> journal() {
        return backend.journal();
    }

    @Override
    public Optional<MarketSnapshot> submitMarket() {
        return backend.submitMarket();
    }

    @Override
    public Optional<String> defaultCheckpoints() {
        return backend.defaultCheckpoints();
    }

    @Override
    public void prepare(WorkloadSpec spec) {
        backend.prepare(spec);
    }

    @Override
    public void close() {
        // the test closes the backend itself
    }
}
