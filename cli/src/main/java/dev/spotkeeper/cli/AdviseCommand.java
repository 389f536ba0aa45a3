package dev.spotkeeper.cli;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.market.Architecture;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.PoolSignals;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.core.placement.Candidate;
import dev.spotkeeper.core.placement.Explanation;
import dev.spotkeeper.core.placement.InterruptionMemory;
import dev.spotkeeper.core.placement.Placement;
import dev.spotkeeper.core.placement.PlacementContext;
import dev.spotkeeper.core.placement.Ranking;
import dev.spotkeeper.core.placement.Requirements;
import dev.spotkeeper.core.placement.RequirementsCheck;
import dev.spotkeeper.core.placement.ScoreTerm;
import dev.spotkeeper.core.placement.Strategies;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spotkeeper advise}: ranks spot pools for a set of requirements, and says why. */
@Command(name = "advise", mixinStandardHelpOptions = true,
        description = "Rank spot pools (region × AZ × instance type) for your requirements and explain the ranking;"
                + " each pool shows its architecture (x86_64 or arm64, Graviton).")
public final class AdviseCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    MarketOptions marketOptions = new MarketOptions();

    @Option(names = "--vcpus", paramLabel = "N", description = "Minimum vCPUs.")
    int vcpus;

    @Option(names = "--memory", paramLabel = "GIB", description = "Minimum memory in GiB.")
    double memory;

    @Option(names = "--gpus", paramLabel = "N", description = "Minimum GPUs.")
    int gpus;

    @Option(names = "--arch", paramLabel = "ARCH", description = "x86_64 or arm64.")
    String arch;

    @Option(names = "--regions", split = ",", paramLabel = "REGION", description = "Allowed regions.")
    List<String> regions = List.of();

    @Option(names = "--azs", split = ",", paramLabel = "AZ", description = "Allowed AZs (ids such as use1-az1, or names).")
    List<String> azs = List.of();

    @Option(names = "--types", split = ",", paramLabel = "TYPE", description = "Allowed instance types.")
    List<String> types = List.of();

    @Option(names = "--exclude-types", split = ",", paramLabel = "TYPE", description = "Excluded instance types.")
    List<String> excludeTypes = List.of();

    @Option(names = "--families", split = ",", paramLabel = "FAMILY", description = "Allowed families (m5, c6g, …).")
    List<String> families = List.of();

    @Option(names = "--exclude-families", split = ",", paramLabel = "FAMILY", description = "Excluded families.")
    List<String> excludeFamilies = List.of();

    @Option(names = "--max-price", paramLabel = "USD", description = "Maximum spot price per hour.")
    Double maxPrice;

    @Option(names = "--strategy", paramLabel = "S", defaultValue = "expected-cost",
            description = "lowest-price, capacity-optimized, price-capacity-optimized or expected-cost (default).")
    String strategy;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "How many pools to list (default 10).")
    int top;

    @Option(names = "--diversify", description = "Spread the list across AZs and instance types (for fleets and failover).")
    boolean diversify;

    @Option(names = "--explain", description = "Show every term of each listed pool's score.")
    boolean explain;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--csv", description = "Print CSV.")
    boolean csv;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        if (json && csv) {
            throw dev.spotkeeper.core.SpotkeeperException.invalidArgument("choose one of --json and --csv");
        }
        MarketSnapshot market = marketOptions.load();
        Requirements req = Requirements.builder()
                .vcpus(vcpus).memoryGib(memory).gpus(gpus)
                .architecture(arch == null ? null : Architecture.parse(arch))
                .regions(set(regions)).zones(set(azs)).types(set(types)).excludedTypes(set(excludeTypes))
                .families(set(families)).excludedFamilies(set(excludeFamilies))
                .maxPricePerHour(maxPrice == null ? Double.POSITIVE_INFINITY : maxPrice)
                .build();
        RequirementsCheck.check(req, market, marketOptions.catalog(), ShippedMarket.spotAdvisor().linuxByRegion().keySet());
        PlacementContext context = PlacementContext.defaults(clock.instant(), InterruptionMemory.empty());
        Ranking ranking = Placement.rankOrExplain(market, req, Strategies.byName(strategy), context, top, diversify);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(toJson(market, ranking)));
        } else if (csv) {
            table(ranking).printCsv(out);
        } else {
            out.printf(Locale.ROOT, "market: %s, %s (%d pools); strategy %s: %s%n", market.source(), market.time(),
                    market.pools().size(), ranking.strategy().name(), ranking.strategy().description());
            out.printf(Locale.ROOT, "%d of %d pools meet the requirements%n%n", ranking.poolsMatching(), ranking.poolsConsidered());
            table(ranking).print(out);
            if (explain) {
                for (Candidate c : ranking.candidates()) {
                    printExplanation(out, c);
                }
            }
        }
        out.flush();
        return 0;
    }

    private static Set<String> set(List<String> values) {
        Set<String> s = new LinkedHashSet<>();
        for (String v : values) {
            if (!v.isBlank()) {
                s.add(v.trim());
            }
        }
        return s;
    }

    private static Table table(Ranking ranking) {
        // The architecture is shown because an x86-only command cannot run on a Graviton pool that ranks first.
        Table t = new Table(List.of("rank", "pool", "arch", "vcpu", "mem_gib", "gpu", "price", "on_demand", "savings", "sps",
                "band", "score"));
        for (Candidate c : ranking.candidates()) {
            PoolSignals p = c.signals();
            t.add(List.of(String.valueOf(c.rank()), p.pool().key(), p.type().architecture().awsName(),
                    String.valueOf(p.type().vcpus()),
                    fmt("%.1f", p.type().memoryGib()), String.valueOf(p.type().gpus()),
                    fmt("$%.4f", p.spotPrice()), Double.isNaN(p.onDemandPrice()) ? "?" : fmt("$%.4f", p.onDemandPrice()),
                    Double.isNaN(p.savingsPercent()) ? "?" : fmt("%.0f%%", p.savingsPercent()),
                    p.hasPlacementScore() ? String.valueOf(p.placementScore()) : "?",
                    p.band() == null ? "?" : p.band().index() + " " + p.band().label(),
                    fmt("%.4f", c.score())));
        }
        return t;
    }

    private static void printExplanation(PrintWriter out, Candidate c) {
        Explanation e = c.explain();
        out.printf(Locale.ROOT, "%n#%d %s — %s score %.4f%n", c.rank(), c.signals().pool().key(), e.strategy(), e.score());
        for (ScoreTerm t : e.terms()) {
            out.printf(Locale.ROOT, "    %-24s %12s  %s%n", t.name(), Double.isNaN(t.value()) ? "?" : fmt("%.6g", t.value()), t.note());
        }
    }

    private static Map<String, Object> toJson(MarketSnapshot market, Ranking ranking) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("market", market.source());
        root.put("marketTime", market.time().toString());
        root.put("strategy", ranking.strategy().name());
        root.put("poolsConsidered", ranking.poolsConsidered());
        root.put("poolsMatching", ranking.poolsMatching());
        List<Object> list = new ArrayList<>();
        for (Candidate c : ranking.candidates()) {
            PoolSignals p = c.signals();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rank", c.rank());
            m.put("region", p.pool().region());
            m.put("azId", p.pool().azId());
            m.put("azName", p.pool().azName());
            m.put("instanceType", p.pool().instanceType());
            m.put("architecture", p.type().architecture().awsName());
            m.put("vcpus", p.type().vcpus());
            m.put("memoryGib", p.type().memoryGib());
            m.put("gpus", p.type().gpus());
            m.put("spotPrice", p.spotPrice());
            m.put("onDemandPrice", Double.isNaN(p.onDemandPrice()) ? null : p.onDemandPrice());
            m.put("savingsPercent", Double.isNaN(p.savingsPercent()) ? null : p.savingsPercent());
            m.put("placementScore", p.hasPlacementScore() ? p.placementScore() : null);
            m.put("interruptionBand", p.band() == null ? null : p.band().index());
            m.put("score", c.score());
            List<Object> terms = new ArrayList<>();
            for (ScoreTerm t : c.explain().terms()) {
                Map<String, Object> tm = new LinkedHashMap<>();
                tm.put("name", t.name());
                tm.put("value", Double.isNaN(t.value()) ? null : t.value());
                tm.put("weight", t.weight());
                tm.put("contribution", t.contribution());
                tm.put("note", t.note());
                terms.add(tm);
            }
            m.put("terms", terms);
            list.add(m);
        }
        root.put("pools", list);
        return root;
    }

    private static String fmt(String f, Object v) {
        return String.format(Locale.ROOT, f, v);
    }
}
