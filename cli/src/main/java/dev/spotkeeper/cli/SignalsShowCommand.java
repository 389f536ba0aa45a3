package dev.spotkeeper.cli;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.PoolSignals;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.core.market.io.SnapshotStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code spotkeeper signals show}: what the latest snapshot holds and how old it is. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show when and from where the latest snapshot was taken, and what it covers.")
public final class SignalsShowCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    SignalsCommand.StoreOption store = new SignalsCommand.StoreOption();

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        SnapshotStore snapshots = store.open();
        MarketSnapshot market = snapshots.latest(ShippedMarket.catalog()).orElseThrow(() -> SpotkeeperException.of(
                ErrorCode.INVALID_ARGUMENT, "no market snapshot in " + snapshots.latestPath().getParent()
                        + " yet; run 'spotkeeper signals refresh' first"));
        int scored = 0;
        int banded = 0;
        int onDemand = 0;
        for (PoolSignals p : market.pools()) {
            scored += p.hasPlacementScore() ? 1 : 0;
            banded += p.band() == null ? 0 : 1;
            onDemand += Double.isNaN(p.onDemandPrice()) ? 0 : 1;
        }
        int n = market.pools().size();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "snapshot:         %s%n", snapshots.latestPath());
        out.printf(Locale.ROOT, "taken:            %s (%s ago)%n", market.time(), age(Duration.between(market.time(), clock.instant())));
        out.printf(Locale.ROOT, "source:           %s%n", market.source());
        out.printf(Locale.ROOT, "pools:            %d in %d region%s (%s), %d type%s (%s)%n", n,
                market.regions().size(), market.regions().size() == 1 ? "" : "s", String.join(", ", market.regions()),
                market.instanceTypes().size(), market.instanceTypes().size() == 1 ? "" : "s",
                String.join(", ", market.instanceTypes()));
        out.printf(Locale.ROOT, "placement scores: %d of %d pools%n", scored, n);
        out.printf(Locale.ROOT, "bands:            %d of %d pools%n", banded, n);
        out.printf(Locale.ROOT, "on-demand (est.): %d of %d pools%n", onDemand, n);
        out.flush();
        return 0;
    }

    static String age(Duration d) {
        if (d.isNegative()) {
            return "0 min";
        }
        long minutes = d.toMinutes();
        if (minutes < 60) {
            return minutes + " min";
        }
        if (minutes < 48 * 60) {
            return minutes / 60 + " h " + minutes % 60 + " min";
        }
        return d.toDays() + " days";
    }
}
