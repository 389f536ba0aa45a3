package dev.spotkeeper.cli.replay;

import dev.spotkeeper.cli.charts.BarChart;
import dev.spotkeeper.cli.charts.TimelineChart;
import dev.spotkeeper.sim.Information;
import dev.spotkeeper.sim.JobModel;
import dev.spotkeeper.sim.Replay;
import dev.spotkeeper.sim.ReplayResult;
import dev.spotkeeper.sim.RunResult;
import dev.spotkeeper.sim.Scenario;
import dev.spotkeeper.sim.trace.Trace;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The table, CSV files and charts of one replayed scenario. */
public final class ReplayReport {
    private final ReplayResult result;
    private final int timelineWindow;

    public ReplayReport(ReplayResult result, int timelineWindow) {
        this.result = result;
        this.timelineWindow = timelineWindow;
    }

    public void print(PrintWriter out, double seconds) {
        Scenario s = result.scenario();
        out.printf(Locale.ROOT, "%s (%s): %d windows, zones %s (%s); job %.4f h of work, deadline %.4f h, restart %.2f h, "
                        + "checkpoint %.0f GB (%.0f s ticks); replayed in %.1f s%n", s.name(), mode(result),
                result.rows().size(), String.join(" ", s.trace().zones()), regions(s.trace()), s.job().workHours(),
                s.job().deadlineHours(), s.job().restartOverheadHours(), s.job().checkpointGb(), s.trace().gapSeconds(),
                seconds);
        double optimal = result.meanCost(Replay.OPTIMAL);
        boolean honest = result.information() == Information.HONEST;
        List<String> header = new ArrayList<>(List.of("policy", "mean cost", "÷ on-demand", "÷ optimal", "misses",
                "migrations", "spot hours"));
        if (honest) {
            header.add("refused launches");
        }
        List<List<String>> cells = new ArrayList<>();
        for (ReplayResult.Summary r : result.summaries()) {
            List<String> row = new ArrayList<>(List.of(r.policy(), String.format(Locale.ROOT, "$%.2f", r.meanCost()),
                    String.format(Locale.ROOT, "%.3f", r.costVsOnDemand()),
                    Double.isNaN(optimal) ? "-" : String.format(Locale.ROOT, "%.3f", r.meanCost() / optimal),
                    r.misses() + "/" + result.rows().size(), String.format(Locale.ROOT, "%.1f", r.meanMigrations()),
                    String.format(Locale.ROOT, "%.1f", r.meanSpotHours())));
            if (honest) {
                row.add(String.format(Locale.ROOT, "%.1f", r.meanRefusedLaunches()));
            }
            cells.add(row);
        }
        TextTable.print(out, header, cells);
        JobModel m = result.model();
        String region = m.regions().get(m.cheapestOnDemandRegion());
        out.printf(Locale.ROOT, "on-demand reference: $%.2f per job (the whole job on on-demand in %s at $%.2f/h)%s%n",
                result.onDemandCost(), region, m.onDemandPrice(m.cheapestOnDemandRegion()), otherPrices(m));
        Goals goals = Goals.of(result, s.trace().zoneCount());
        if (goals != null) {
            out.println(goals.line());
        }
    }

    /** How the mode is named in headings: the information the online policies had. */
    static String mode(ReplayResult r) {
        if (r.information() == Information.ALL_SEEING) {
            return "all-seeing: every zone's availability shown";
        }
        return String.format(Locale.ROOT, "honest: prices, the held pool and its own launches; a refused launch costs %.0f s",
                r.scenario().launchLatencySeconds());
    }

    private static String regions(Trace t) {
        return "regions " + String.join(", ", new LinkedHashSet<>(t.regions()));
    }

    private static String otherPrices(JobModel m) {
        Map<String, Double> prices = m.onDemandPrices();
        if (new LinkedHashSet<>(prices.values()).size() <= 1) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        prices.forEach((r, p) -> parts.add(String.format(Locale.ROOT, "%s $%.2f", r, p)));
        return "; on-demand per region: " + String.join(", ", parts);
    }

    /** The file name stem: the scenario, and the mode when it is not the default honest one. */
    static String stem(ReplayResult r) {
        String base = r.scenario().name().replaceAll("[^A-Za-z0-9._=-]", "_");
        return r.information() == Information.HONEST ? base : base + "-" + r.information().label();
    }

    /** Writes {@code <stem>-windows.csv}, {@code -summary.csv}, {@code -cost.svg} and {@code -timeline.svg}. */
    public List<Path> write(Path dir) {
        String base = stem(result);
        return Files.writeAll(dir, List.of(
                new Files.Output(base + "-windows.csv", windowsCsv()),
                new Files.Output(base + "-summary.csv", summaryCsv()),
                new Files.Output(base + "-cost.svg", costChart()),
                new Files.Output(base + "-timeline.svg", timelineChart())));
    }

    String windowsCsv() {
        StringBuilder sb = new StringBuilder("window,start_hours,information,policy,cost_usd,cost_vs_on_demand,missed,"
                + "migrations,preemptions,refused_launches,spot_hours,on_demand_hours,on_demand_regions,finish_hours\n");
        double gap = result.scenario().trace().gapHours();
        for (int w = 0; w < result.rows().size(); w++) {
            double od = result.references().get(w);
            for (RunResult r : result.rows().get(w)) {
                sb.append(String.format(Locale.ROOT, "%d,%.4f,%s,%s,%.4f,%.4f,%s,%d,%d,%d,%.4f,%.4f,%s,%.4f%n", w,
                        r.startTick() * gap, result.information().label(), r.policy(), r.cost(), r.cost() / od,
                        r.missed(), r.migrations(), r.preemptions(), r.refusedLaunches(), r.spotHours(),
                        r.onDemandHours(), r.onDemandRegions(), r.finishHours()));
            }
        }
        return sb.toString();
    }

    String summaryCsv() {
        JobModel m = result.model();
        String region = m.regions().get(m.cheapestOnDemandRegion());
        StringBuilder sb = new StringBuilder("policy,information,mean_cost_usd,cost_vs_on_demand,on_demand_region,misses,"
                + "windows,mean_migrations,mean_spot_hours,mean_refused_launches\n");
        for (ReplayResult.Summary r : result.summaries()) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%.4f,%.4f,%s,%d,%d,%.3f,%.3f,%.3f%n", r.policy(),
                    result.information().label(), r.meanCost(), r.costVsOnDemand(), region, r.misses(),
                    result.rows().size(), r.meanMigrations(), r.meanSpotHours(), r.meanRefusedLaunches()));
        }
        return sb.toString();
    }

    String costChart() {
        BarChart chart = new BarChart(result.scenario().name() + " (" + result.information().label()
                + "): mean cost per job ÷ on-demand (lower is better)", "×");
        for (ReplayResult.Summary r : result.summaries()) {
            String color = r.policy().equals("spotkeeper") ? "#54A24B" : r.policy().equals(Replay.OPTIMAL) ? "#79706E" : "#4C78A8";
            String label = r.misses() > 0 ? r.policy() + " (" + r.misses() + " missed)" : r.policy();
            chart.bar(label, r.costVsOnDemand(), color);
        }
        chart.goal(1.0, "on-demand");
        return chart.toSvg();
    }

    String timelineChart() {
        Trace trace = result.scenario().trace();
        int start = result.rows().get(timelineWindow).get(0).startTick();
        int ticks = result.model().deadlineTicks();
        boolean[][] available = new boolean[trace.zoneCount()][ticks];
        double[][] prices = new double[trace.zoneCount()][ticks];
        for (int z = 0; z < trace.zoneCount(); z++) {
            for (int t = 0; t < ticks; t++) {
                available[z][t] = trace.available(z, start + t);
                prices[z][t] = trace.price(z, start + t);
            }
        }
        TimelineChart chart = new TimelineChart(String.format(Locale.ROOT, "%s (%s), window %d (starts %.1f h into the trace)",
                result.scenario().name(), result.information().label(), timelineWindow, start * trace.gapHours()),
                trace.gapHours(), trace.zones(), available, prices, trace.onDemandPrice());
        for (RunResult r : result.rows().get(timelineWindow)) {
            if (r.timeline() != null) {
                chart.row(String.format(Locale.ROOT, "%s $%.2f", r.policy(), r.cost()), r.timeline());
            }
        }
        return chart.toSvg();
    }
}
