package dev.spotkeeper.cli;

import dev.spotkeeper.core.market.io.SnapshotStore;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spotkeeper signals}: fetch live market signals from AWS and look at what was fetched. */
@Command(name = "signals", mixinStandardHelpOptions = true,
        description = "Live market signals: spot prices, Spot Placement Scores and Spot Advisor bands.",
        subcommands = {SignalsRefreshCommand.class, SignalsShowCommand.class})
public final class SignalsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code --store DIR}, shared by the subcommands. */
    static final class StoreOption {
        @Option(names = "--store", paramLabel = "DIR",
                description = "Where snapshots are kept. Default: $SPOTKEEPER_HOME/signals, else ~/.spotkeeper/signals "
                        + "(where 'advise' looks for the latest one).")
        Path store;

        SnapshotStore open() {
            return store == null ? SnapshotStore.defaultStore() : new SnapshotStore(store);
        }
    }
}
