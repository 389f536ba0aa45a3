package dev.spotkeeper.cli.job;

import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.store.StateStore;
import java.time.Clock;
import java.util.function.Supplier;

/** Where jobs run: the ports the controller needs, wired to AWS or to the local emulator. */
public interface JobBackend extends AutoCloseable {
    /** One line for people: "local emulator at http://127.0.0.1:4566", "AWS profile prod, us-east-1". */
    String description();

    StateStore store();

    ComputePort compute();

    EventQueuePort queue();

    Supplier<MarketSnapshot> market();

    ControllerConfig config();

    Clock clock();

    /** Makes ready what the workload needs before its first launch (the emulator creates its buckets). */
    default void prepare(dev.spotkeeper.core.workload.WorkloadSpec spec) {
    }

    @Override
    void close();
}
