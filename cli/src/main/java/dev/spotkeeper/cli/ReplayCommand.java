package dev.spotkeeper.cli;

import dev.spotkeeper.cli.replay.ProgressBar;
import dev.spotkeeper.cli.replay.ReplayReport;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.sim.Replay;
import dev.spotkeeper.sim.ReplayResult;
import dev.spotkeeper.sim.Scenario;
import dev.spotkeeper.sim.ScenarioFile;
import dev.spotkeeper.sim.Scenarios;
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
                + "(benchmark B2): mean cost, cost ÷ on-demand, deadline misses, migrations, spot hours.",
            "Writes per-window results as CSV and SVG charts (cost per policy, one window's timeline) to --out."})
public final class ReplayCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenario", required = true, split = ",", paramLabel = "NAME|FILE",
            description = "v100-cross-area, v100-all-zones, or a scenario file (.yaml or .json); repeatable.")
    List<String> scenarios;

    @Option(names = "--policies", split = ",", paramLabel = "NAME",
            description = "Policies to compare (default all): on-demand, spot-one-zone, greedy, uniform-progress, "
                    + "failover, spotkeeper, optimal.")
    List<String> policies = new ArrayList<>(Replay.POLICIES);

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
        List<Scenario> loaded = new ArrayList<>();
        for (String s : scenarios) {
            loaded.add(load(s));
        }
        for (Scenario s : loaded) {
            if (timelineWindow < 0 || timelineWindow >= s.windowStarts().size()) {
                throw SpotkeeperException.invalidArgument("--timeline-window " + timelineWindow + " is out of range: scenario "
                        + s.name() + " has windows 0.." + (s.windowStarts().size() - 1));
            }
        }
        int total = loaded.stream().mapToInt(s -> s.windowStarts().size()).sum();
        ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), total);
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        try {
            for (Scenario s : loaded) {
                replay(s, bar, workers, stdout);
            }
        } finally {
            // An error message must not land on the bar's line.
            bar.finish();
        }
        return 0;
    }

    private void replay(Scenario s, ProgressBar bar, int workers, PrintWriter stdout) {
        long began = System.nanoTime();
        int offset = bar.completed();
        ReplayResult result = Replay.run(s, policies, timelineWindow, workers, n -> bar.update(offset + n));
        double seconds = (System.nanoTime() - began) / 1e9;
        bar.pause();
        ReplayReport report = new ReplayReport(result, timelineWindow);
        report.print(stdout, seconds);
        List<Path> written = report.write(out);
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
