package dev.spotkeeper.cli;

import dev.spotkeeper.cli.replay.BoundReport;
import dev.spotkeeper.cli.replay.ProgressBar;
import dev.spotkeeper.cli.replay.ReplayReport;
import dev.spotkeeper.cli.replay.SweepReport;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.sim.Information;
import dev.spotkeeper.sim.OnlineBound;
import dev.spotkeeper.sim.Replay;
import dev.spotkeeper.sim.ReplayResult;
import dev.spotkeeper.sim.Scenario;
import dev.spotkeeper.sim.ScenarioFile;
import dev.spotkeeper.sim.Scenarios;
import dev.spotkeeper.sim.Sweep;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spotkeeper replay}: benchmark B2, what each scheduling policy costs on real spot traces. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replays spot-market traces through every scheduling policy and reports what each costs "
                + "(benchmark B2): mean cost, cost ÷ on-demand, cost ÷ the offline optimum, deadline misses, "
                + "migrations, spot hours.",
            "Writes per-window results as CSV and SVG charts (cost per policy, one window's timeline) to --out; with "
                + "--sweep, one table, CSV and chart per sweep instead."})
public final class ReplayCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenario", required = true, split = ",", paramLabel = "NAME|FILE",
            description = "v100-cross-area, v100-all-zones, v100-first-half, v100-second-half, or a scenario file "
                    + "(.yaml or .json); repeatable.")
    List<String> scenarios;

    @Option(names = "--policies", split = ",", paramLabel = "NAME",
            description = "Policies to compare (default all): on-demand, spot-one-zone, greedy, uniform-progress, "
                    + "failover, spotkeeper, optimal.")
    List<String> policies = new ArrayList<>(Replay.POLICIES);

    @Option(names = "--information", split = ",", paramLabel = "MODE", defaultValue = "honest",
            description = "What the online policies may see: honest (default: prices, the pool held, their own launch "
                    + "attempts) or all-seeing (every zone's availability); both with honest,all-seeing.")
    List<String> information;

    @Option(names = "--sweep", paramLabel = "AXIS=VALUES",
            description = "Replay again along one axis, everything else kept: deadline=1.05,1.5,3 (× the work), "
                    + "zones=1..9 (drawn per window), checkpoint-gb=0,50,500,4000; repeatable, one table per sweep.")
    List<String> sweeps = new ArrayList<>();

    @Option(names = "--bound", split = ",", paramLabel = "DEADLINE",
            description = "Instead of replaying, bound what any online policy can reach at these deadlines (× the work),"
                    + " zone by zone: the best online policy's exact expected cost on a Markov chain fitted to the zone,"
                    + " against the offline optimum on traces drawn from it (docs/replay.md).")
    List<Double> bounds = new ArrayList<>();

    @Option(names = "--bound-samples", paramLabel = "N", defaultValue = "400",
            description = "Traces drawn per zone for --bound (default ${DEFAULT-VALUE}).")
    int boundSamples;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "replay-results",
            description = "Folder for the CSV files and charts (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--timeline-window", paramLabel = "N", defaultValue = "0",
            description = "Index of the window drawn in the timeline chart (default ${DEFAULT-VALUE}).")
    int timelineWindow;

    @Option(names = "--threads", paramLabel = "N",
            description = "Windows replayed in parallel (default: the number of processors).")
    Integer threads;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        Replay.checkPolicies(policies);
        List<Information> modes = information.stream().map(Information::parse).distinct().toList();
        List<Sweep> parsed = sweeps.stream().map(Sweep::parse).toList();
        List<String> names = parsed.isEmpty() || policies.contains(Replay.OPTIMAL) ? policies : withOptimal(policies);
        List<Scenario> loaded = new ArrayList<>();
        for (String s : scenarios) {
            loaded.add(load(s));
        }
        if (!bounds.isEmpty()) {
            return bound(loaded, stdout);
        }
        List<Run> runs = plan(loaded, parsed);
        int total = runs.stream().mapToInt(Run::windows).sum() * modes.size();
        ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), total);
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        try {
            for (Run run : runs) {
                for (Information mode : modes) {
                    run.replay(names, mode, bar, workers, stdout);
                }
            }
        } finally {
            // An error message must not land on the bar's line.
            bar.finish();
        }
        return 0;
    }

    /** {@code --bound}: the table of {@link BoundReport} per scenario, zones computed in parallel. */
    private int bound(List<Scenario> loaded, PrintWriter stdout) {
        if (boundSamples < 2) {
            throw SpotkeeperException.invalidArgument("--bound-samples " + boundSamples + " is too few: give 2 or more");
        }
        for (double d : bounds) {
            if (!(d > 1)) {
                throw SpotkeeperException.invalidArgument("--bound " + d + " is not above the work: give multiples of"
                        + " the work above 1, e.g. --bound 1.05,1.1");
            }
        }
        long seed = 1;
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, workers));
        try {
            for (Scenario s : loaded) {
                long began = System.nanoTime();
                List<java.util.concurrent.Future<OnlineBound.Result>> pending = new ArrayList<>();
                for (double d : bounds) {
                    for (int z = 0; z < s.trace().zoneCount(); z++) {
                        int zone = z;
                        pending.add(pool.submit(() -> OnlineBound.of(s, zone, d, boundSamples, seed + zone)));
                    }
                }
                List<OnlineBound.Result> results = new ArrayList<>();
                for (java.util.concurrent.Future<OnlineBound.Result> f : pending) {
                    results.add(get(f));
                }
                new BoundReport(s, bounds, results, boundSamples, seed).print(stdout, (System.nanoTime() - began) / 1e9);
            }
        } finally {
            pool.shutdownNow();
        }
        return 0;
    }

    private static <T> T get(java.util.concurrent.Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static List<String> withOptimal(List<String> names) {
        List<String> out = new ArrayList<>(names);
        out.add(Replay.OPTIMAL);
        return out;
    }

    /** Everything to replay, checked before the first window runs: a bad sweep fails at once. */
    private List<Run> plan(List<Scenario> loaded, List<Sweep> parsed) {
        List<Run> runs = new ArrayList<>();
        for (Scenario s : loaded) {
            if (parsed.isEmpty()) {
                if (timelineWindow < 0 || timelineWindow >= s.windowStarts().size()) {
                    throw SpotkeeperException.invalidArgument("--timeline-window " + timelineWindow + " is out of range: "
                            + "scenario " + s.name() + " has windows 0.." + (s.windowStarts().size() - 1));
                }
                s.model();
                runs.add(new PlainRun(s));
            }
            for (Sweep sweep : parsed) {
                runs.add(new SweepRun(s, sweep, sweep.points(s)));
            }
        }
        return runs;
    }

    private interface Run {
        int windows();

        void replay(List<String> names, Information mode, ProgressBar bar, int workers, PrintWriter stdout);
    }

    private final class PlainRun implements Run {
        private final Scenario scenario;

        PlainRun(Scenario scenario) {
            this.scenario = scenario;
        }

        @Override
        public int windows() {
            return scenario.windowStarts().size();
        }

        @Override
        public void replay(List<String> names, Information mode, ProgressBar bar, int workers, PrintWriter stdout) {
            long began = System.nanoTime();
            int offset = bar.completed();
            ReplayResult result = Replay.run(scenario, names, mode, timelineWindow, workers, n -> bar.update(offset + n));
            double seconds = (System.nanoTime() - began) / 1e9;
            bar.pause();
            ReplayReport report = new ReplayReport(result, timelineWindow);
            report.print(stdout, seconds);
            wrote(stdout, report.write(out));
        }
    }

    private final class SweepRun implements Run {
        private final Scenario base;
        private final Sweep sweep;
        private final List<Sweep.Point> points;

        SweepRun(Scenario base, Sweep sweep, List<Sweep.Point> points) {
            this.base = base;
            this.sweep = sweep;
            this.points = points;
        }

        @Override
        public int windows() {
            return points.stream().mapToInt(p -> p.cases().size()).sum();
        }

        @Override
        public void replay(List<String> names, Information mode, ProgressBar bar, int workers, PrintWriter stdout) {
            long began = System.nanoTime();
            List<ReplayResult> results = new ArrayList<>();
            for (Sweep.Point p : points) {
                int offset = bar.completed();
                results.add(Replay.run(p.scenario(), p.cases(), names, mode, -1, workers, n -> bar.update(offset + n)));
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            bar.pause();
            SweepReport report = new SweepReport(base, sweep, results);
            report.print(stdout, seconds);
            wrote(stdout, report.write(out));
        }
    }

    private static void wrote(PrintWriter stdout, List<Path> written) {
        stdout.println("wrote " + String.join(", ", written.stream().map(Path::toString).toList()));
        stdout.println();
        stdout.flush();
    }

    private static Scenario load(String nameOrFile) {
        if (Scenarios.isBuiltIn(nameOrFile)) {
            return Scenarios.builtIn(nameOrFile);
        }
        Path path = Path.of(nameOrFile);
        String lower = nameOrFile.toLowerCase(Locale.ROOT);
        boolean looksLikeFile = lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
        if (!Files.exists(path) && !looksLikeFile) {
            return Scenarios.builtIn(nameOrFile);
        }
        return ScenarioFile.read(path);
    }
}
