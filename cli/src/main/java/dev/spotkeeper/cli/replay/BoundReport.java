package dev.spotkeeper.cli.replay;

import dev.spotkeeper.sim.OnlineBound;
import dev.spotkeeper.sim.Scenario;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table of {@code replay --bound}: per deadline and zone, what no online policy can beat on that zone's chain. */
public final class BoundReport {
    private final Scenario scenario;
    private final List<Double> deadlines;
    private final List<OnlineBound.Result> results;
    private final int samples;
    private final long seed;

    public BoundReport(Scenario scenario, List<Double> deadlines, List<OnlineBound.Result> results, int samples,
                       long seed) {
        this.scenario = scenario;
        this.deadlines = List.copyOf(deadlines);
        this.results = List.copyOf(results);
        this.samples = samples;
        this.seed = seed;
    }

    public void print(PrintWriter out, double seconds) {
        double tick = scenario.trace().gapSeconds() / 3600;
        out.printf(Locale.ROOT, "%s: a lower bound for every online policy, zone by zone (%.1f s)%n", scenario.name(),
                seconds);
        out.println("  each row: a market of that zone alone, spot coming and going as a Markov chain fitted to its"
                + " trace (per tick, mean spot price);");
        out.println("  best online = the exact expected cost of the best policy that never misses and sees spot's"
                + " presence every tick for free (no honest policy sees more);");
        out.printf(Locale.ROOT, "  optimum = the offline optimum's mean over %d traces drawn from the chain (seed %d + the zone's index),"
                + " ± 2 standard errors; ratio ≥ best online ÷ (optimum + 2 SE)%n", samples, seed);
        List<List<String>> rows = new ArrayList<>();
        int zones = results.size() / deadlines.size();
        for (int i = 0; i < results.size(); i++) {
            OnlineBound.Result r = results.get(i);
            OnlineBound.Chain c = r.chain();
            rows.add(List.of(fmt("%.2f", deadlines.get(i / zones)), r.zone(), fmt("%.0f %%", 100 * c.availability()),
                    fmt("%.1f", c.loss() == 0 ? Double.POSITIVE_INFINITY : tick / c.loss()),
                    fmt("%.1f", c.recovery() == 0 ? Double.POSITIVE_INFINITY : tick / c.recovery()),
                    fmt("$%.3f", r.spotPrice()), fmt("$%.2f", r.bestOnline()),
                    fmt("$%.2f ± %.2f", r.optimumMean(), 2 * r.optimumStandardError()), fmt("%.3f", r.ratio()),
                    fmt("%.3f", r.spotkeeperMean() / r.bestOnline()), Integer.toString(r.spotkeeperMisses())));
        }
        TextTable.print(out, List.of("deadline ÷ work", "zone", "spot", "spell h", "gap h", "spot price",
                "best online", "optimum", "ratio ≥", "spotkeeper ÷ best", "misses"), rows);
        out.println();
        out.flush();
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
