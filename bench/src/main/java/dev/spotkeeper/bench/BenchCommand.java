package dev.spotkeeper.bench;

import dev.spotkeeper.cli.charts.BarChart;
import dev.spotkeeper.core.market.InstanceType;
import dev.spotkeeper.core.market.InterruptionBand;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.Pool;
import dev.spotkeeper.core.market.PoolSignals;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.core.placement.Candidate;
import dev.spotkeeper.core.placement.Explanation;
import dev.spotkeeper.core.placement.InterruptionMemory;
import dev.spotkeeper.core.placement.Placement;
import dev.spotkeeper.core.placement.PlacementContext;
import dev.spotkeeper.core.placement.PlacementStrategy;
import dev.spotkeeper.core.placement.Ranking;
import dev.spotkeeper.core.placement.Requirements;
import dev.spotkeeper.core.placement.Strategies;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spotkeeper bench placement}: benchmark B1, placement speed on the real and a synthetic market. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print figures (B1 placement speed, B3 evacuation throughput, B4 recovery time,"
                + " B5 database on spot, B6 control plane at scale, B7 fleet under interruptions, B8 notification latency).",
        subcommands = {BenchCommand.PlacementBench.class, EvacuationBench.class, RecoveryBench.class,
                DatabaseBench.class, NotifyBench.class, FleetBench.class, ControlPlaneBench.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** B1. */
    @Command(name = "placement", mixinStandardHelpOptions = true,
            description = "B1: median time to rank every pool of the SpotLake snapshot (18,198 pools) and of a synthetic 100,000-pool market.")
    static final class PlacementBench implements Callable<Integer> {
        static final double GOAL_REAL_MS = 5;
        static final double GOAL_SYNTHETIC_MS = 30;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--runs", defaultValue = "51", description = "Measured runs per case (default 51).")
        int runs;

        @Option(names = "--warmup", defaultValue = "30", description = "Unmeasured warm-up runs per case (default 30).")
        int warmup;

        @Option(names = "--pools", defaultValue = "100000", description = "Pools in the synthetic market (default 100000).")
        int syntheticPools;

        @Option(names = "--out", defaultValue = "target/bench", description = "Where to write b1-placement.csv and .svg.")
        Path out;

        @Override
        public Integer call() throws IOException {
            PrintWriter pw = spec.commandLine().getOut();
            Requirements req = Requirements.builder().vcpus(4).memoryGib(16)
                    .regions(Set.of("us-east-1", "us-east-2", "us-west-2", "eu-west-1", "ap-northeast-1")).build();
            MarketSnapshot real = ShippedMarket.spotLake();
            MarketSnapshot synthetic = synthetic(syntheticPools, 42);
            List<String> csv = new ArrayList<>(List.of("market,pools,strategy,median_ms,p90_ms,goal_ms,winner"));
            BarChart chart = new BarChart("B1 placement: median ranking time", "ms");
            pw.printf(Locale.ROOT, "%-10s %7s  %-26s %9s %9s %7s  %s%n", "market", "pools", "strategy", "median ms", "p90 ms", "goal", "winner (score terms)");
            for (PlacementStrategy s : Strategies.all()) {
                for (MarketSnapshot m : List.of(real, synthetic)) {
                    boolean isReal = m == real;
                    double goal = isReal ? GOAL_REAL_MS : GOAL_SYNTHETIC_MS;
                    double[] ms = time(m, req, s);
                    Arrays.sort(ms);
                    double median = ms[ms.length / 2];
                    double p90 = ms[(int) Math.min(ms.length - 1, Math.round(ms.length * 0.9))];
                    Ranking r = rank(m, req, s);
                    Candidate best = r.best().orElseThrow();
                    Explanation e = best.explain();
                    String winner = String.format(Locale.ROOT, "%s $%.4f/h, %s score %.4f (%d terms)", best.signals().pool().key(),
                            best.signals().spotPrice(), e.strategy(), e.score(), e.terms().size());
                    String name = isReal ? "spotlake" : "synthetic";
                    pw.printf(Locale.ROOT, "%-10s %7d  %-26s %9.3f %9.3f %7.0f  %s%n", name, m.pools().size(), s.name(), median, p90, goal, winner);
                    pw.flush();
                    csv.add(String.format(Locale.ROOT, "%s,%d,%s,%.4f,%.4f,%.0f,%s", name, m.pools().size(), s.name(), median, p90, goal, best.signals().pool().key()));
                    chart.bar(name + " " + m.pools().size() / 1000 + "k · " + s.name(), median, isReal ? "#4C78A8" : "#F58518");
                }
            }
            chart.goal(GOAL_REAL_MS, "goal 5 ms (18k)");
            Files.createDirectories(out);
            Files.write(out.resolve("b1-placement.csv"), csv);
            Files.writeString(out.resolve("b1-placement.svg"), chart.toSvg());
            pw.println("wrote " + out.resolve("b1-placement.csv") + " and " + out.resolve("b1-placement.svg")
                    + " (goals: 18k pools ≤ 5 ms, 100k pools ≤ 30 ms)");
            return 0;
        }

        private double[] time(MarketSnapshot m, Requirements req, PlacementStrategy s) {
            for (int i = 0; i < warmup; i++) {
                rank(m, req, s);
            }
            double[] ms = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                rank(m, req, s);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            return ms;
        }

        private static Ranking rank(MarketSnapshot m, Requirements req, PlacementStrategy s) {
            return Placement.rank(m, req, s, PlacementContext.defaults(m.time(), InterruptionMemory.oneHour()), 10, false);
        }
    }

    /** A seeded market of {@code n} pools drawn from the shipped types and regions. */
    static MarketSnapshot synthetic(int n, long seed) {
        Random random = new Random(seed);
        List<InstanceType> types = new ArrayList<>();
        ShippedMarket.catalog().names().forEach(t -> types.add(ShippedMarket.catalog().require(t)));
        List<String> regions = List.of("us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-central-1",
                "ap-northeast-1", "ap-southeast-1", "ap-south-1", "sa-east-1");
        Instant time = Instant.parse("2026-01-01T00:00:00Z");
        List<PoolSignals> pools = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            InstanceType t = types.get(random.nextInt(types.size()));
            String region = regions.get(random.nextInt(regions.size()));
            double onDemand = 0.05 * t.vcpus() * (0.8 + 0.4 * random.nextDouble()) + 0.5 * t.gpus();
            double price = onDemand * (0.1 + 0.6 * random.nextDouble());
            Pool pool = new Pool(region, region + "-az" + (i % 6 + 1) + "-" + i / 60000, "", t.name());
            pools.add(new PoolSignals(pool, t, time, price, onDemand, 1 + random.nextInt(10), "synthetic",
                    InterruptionBand.ofIndex(random.nextInt(5))));
        }
        return new MarketSnapshot("synthetic-" + n, time, pools);
    }
}
