package dev.spotkeeper.cli;

import dev.spotkeeper.core.market.InstanceCatalog;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.io.MarketFile;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.core.market.io.SnapshotStore;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --market FILE}: which market data a command uses. */
final class MarketOptions {
    @Option(names = "--market", paramLabel = "FILE",
            description = "Market data: spotkeeper's CSV/JSON format or a SpotLake CSV. "
                    + "Default: the last 'signals refresh' snapshot, else the shipped SpotLake snapshot of 2022-07-12.")
    Path market;

    @Option(names = "--shipped", description = "Use the shipped market data even when a refreshed snapshot exists.")
    boolean shipped;

    InstanceCatalog catalog() {
        return ShippedMarket.catalog();
    }

    MarketSnapshot load() {
        if (market != null) {
            return MarketFile.read(market, catalog());
        }
        if (!shipped) {
            Optional<MarketSnapshot> latest = SnapshotStore.defaultStore().latest(catalog());
            if (latest.isPresent()) {
                return latest.get();
            }
        }
        return ShippedMarket.spotLake();
    }
}
