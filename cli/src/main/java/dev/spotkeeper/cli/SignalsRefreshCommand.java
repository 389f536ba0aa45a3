package dev.spotkeeper.cli;

import dev.spotkeeper.aws.AwsSettings;
import dev.spotkeeper.aws.AwsSignals;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.PoolSignals;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.core.market.io.SnapshotStore;
import dev.spotkeeper.core.signals.RefreshRequest;
import dev.spotkeeper.core.signals.RefreshResult;
import dev.spotkeeper.core.signals.SourceFailure;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spotkeeper signals refresh}: one command for the daily "update the market" chore. */
@Command(name = "refresh", mixinStandardHelpOptions = true,
        description = {"Fetch per-AZ spot prices (DescribeSpotPriceHistory), Spot Placement Scores "
                + "(GetSpotPlacementScores) and the Spot Advisor feed, and store them as the latest market snapshot.",
                "Without network or credentials nothing is stored and the last snapshot stays as it was."})
public final class SignalsRefreshCommand implements Callable<Integer> {
    /** A modest default: one region and a handful of interchangeable general-purpose and compute types. */
    static final List<String> DEFAULT_REGIONS = List.of("us-east-1");
    static final List<String> DEFAULT_TYPES = List.of("m5.large", "m5a.large", "m6i.large", "c5.large", "c6i.large", "r5.large");
    /** Placement scores kept next to the snapshots, so runs minutes apart do not ask AWS again. */
    static final String SCORE_CACHE = "placement-scores.json";
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    SignalsCommand.StoreOption store = new SignalsCommand.StoreOption();

    @Option(names = "--regions", split = ",", paramLabel = "REGION", description = "Regions to fetch (default us-east-1).")
    List<String> regions = DEFAULT_REGIONS;

    @Option(names = "--types", split = ",", paramLabel = "TYPE",
            description = "Instance types to fetch (default m5.large,m5a.large,m6i.large,c5.large,c6i.large,r5.large). "
                    + "Placement scores need at least 3.")
    List<String> types = DEFAULT_TYPES;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "Send EC2 calls here instead of AWS (a local emulator).")
    URI endpointUrl;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile to use (default: the standard credential chain).")
    String profile;

    @Option(names = "--advisor-url", paramLabel = "URL",
            description = "Spot Advisor feed (https:, http: or file: URL, or a file path). Default: " 
                    + "https://spot-bid-advisor.s3.amazonaws.com/spot-advisor-data.json")
    String advisorUrl;

    @Option(names = "--capacity", paramLabel = "N", defaultValue = "1",
            description = "Target capacity (instances) the placement scores are asked for (default 1).")
    int capacity;

    @Option(names = "--types-per-score-request", paramLabel = "N", defaultValue = "5",
            description = "Most instance types in one placement-score request, at least 3 (default 5).")
    int typesPerScoreRequest;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        RefreshRequest request = request();
        AwsSettings settings = AwsSettings.defaults().withEndpoint(endpointUrl).withProfile(profile);
        SnapshotStore snapshots = store.open();
        RefreshResult result;
        int cached;
        Path scoreCache = snapshots.latestPath().resolveSibling(SCORE_CACHE);
        try (AwsSignals signals = new AwsSignals(settings, advisor(), clock, scoreCache)) {
            result = signals.refresher().refreshInto(request, snapshots);
            cached = signals.placementScores().hits();
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (result.market().isEmpty()) {
            throw nothingStored(result, snapshots);
        }
        report(out, result.market().get(), result, cached, snapshots.latestPath());
        for (SourceFailure f : result.failures()) {
            err.println("warning: " + f.describe());
        }
        out.flush();
        err.flush();
        return 0;
    }

    private RefreshRequest request() {
        if (endpointUrl != null && (endpointUrl.getScheme() == null || endpointUrl.getHost() == null
                || !List.of("http", "https").contains(endpointUrl.getScheme().toLowerCase(Locale.ROOT)))) {
            throw SpotkeeperException.invalidArgument("--endpoint-url must be an http:// or https:// URL such as "
                    + "http://127.0.0.1:4566, was '" + endpointUrl + "'");
        }
        for (String r : regions) {
            if (!REGION.matcher(r.trim()).matches()) {
                throw SpotkeeperException.of(ErrorCode.UNKNOWN_REGION, "'" + r
                        + "' is not a region name" + Names.didYouMean(r.trim(), ShippedMarket.spotAdvisor().linuxByRegion().keySet())
                        + "; regions look like us-east-1");
            }
        }
        try {
            return new RefreshRequest(regions, types, capacity, typesPerScoreRequest);
        } catch (IllegalArgumentException e) {
            throw SpotkeeperException.invalidArgument(e.getMessage());
        }
    }

    private URI advisor() {
        if (advisorUrl == null || advisorUrl.isBlank()) {
            return AwsSignals.SPOT_ADVISOR_URL;
        }
        try {
            URI uri = new URI(advisorUrl.trim());
            if (uri.getScheme() != null && uri.getScheme().length() > 1) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // not a URL: read it as a file path below
        }
        return Path.of(advisorUrl.trim()).toAbsolutePath().toUri();
    }

    /** One line: what failed, what to do, and that the last snapshot was kept. */
    private static SpotkeeperException nothingStored(RefreshResult result, SnapshotStore snapshots) {
        SourceFailure main = result.mainFailure().orElseThrow();
        Optional<MarketSnapshot> last = lastSnapshot(snapshots);
        String kept = last.map(s -> "kept the last snapshot (" + s.time() + ", " + snapshots.latestPath() + ")")
                .orElse("no snapshot stored");
        int others = result.failures().size() - 1;
        return SpotkeeperException.of(main.code(), "market signals not refreshed: " + main.describe() + "; " + kept
                + (others > 0 ? " (" + others + " more failure" + (others == 1 ? "" : "s") + ")" : ""));
    }

    private static Optional<MarketSnapshot> lastSnapshot(SnapshotStore snapshots) {
        try {
            return snapshots.latest(ShippedMarket.catalog());
        } catch (SpotkeeperException e) {
            return Optional.empty();
        }
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private static void report(PrintWriter out, MarketSnapshot market, RefreshResult result, int cached, Path where) {
        Map<String, Integer> byRegion = new TreeMap<>();
        int banded = 0;
        for (PoolSignals p : market.pools()) {
            byRegion.merge(p.pool().region(), 1, Integer::sum);
            banded += p.band() == null ? 0 : 1;
        }
        out.printf(Locale.ROOT, "stored %d pools (%s, %s) taken %s in %s%n", market.pools().size(),
                plural(market.regions().size(), "region"), plural(market.instanceTypes().size(), "type"),
                market.time(), where);
        StringBuilder regionsLine = new StringBuilder("spot prices:");
        byRegion.forEach((r, n) -> regionsLine.append(' ').append(r).append(' ').append(n).append(" pools,"));
        out.println(regionsLine.substring(0, regionsLine.length() - 1));
        out.printf(Locale.ROOT, "placement scores: %d of %d pools (%d request%s, %d answered from the 10-minute cache)%n",
                result.poolsWithScore(), market.pools().size(), result.scoreRequests(),
                result.scoreRequests() == 1 ? "" : "s", cached);
        out.printf(Locale.ROOT, "interruption bands and on-demand estimates: %d of %d pools%n", banded, market.pools().size());
        out.printf(Locale.ROOT, "failures: %d%s%n", result.failures().size(), result.failures().isEmpty() ? "" : " (see warnings)");
    }
}
