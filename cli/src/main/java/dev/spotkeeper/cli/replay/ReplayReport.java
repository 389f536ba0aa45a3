package dev.spotkeeper.cli.replay;

import dev.spotkeeper.cli.charts.BarChart;
import dev.spotkeeper.cli.charts.TimelineChart;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.sim.JobModel;
import dev.spotkeeper.sim.Replay;
import dev.spotkeeper.sim.ReplayResult;
import dev.spotkeeper.sim.RunResult;
import dev.spotkeeper.sim.Scenario;
import dev.spotkeeper.sim.trace.Trace;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table, CSV files and charts of one replayed scenario. */
public final class ReplayReport {
    static final double GOAL_VS_OPTIMAL = 1.05;
    static final double GOAL_VS_FAILOVER = 0.90;

    private final ReplayResult result;
    private final int timelineWindow;

    public ReplayReport(ReplayResult result, int timelineWindow) {
        this.result = result;
        this.timelineWindow = timelineWindow;
    }

    public void print(PrintWriter out, double seconds) {
        Scenario s = result.scenario();
        JobModel m = result.model();
        out.printf(Locale.ROOT, "%s: %d windows, zones %s; job %.4f h of work, deadline %.4f h, restart %.2f h, "
                        + "checkpoint %.0f GB (%.0f s ticks); replayed in %.1f s%n", s.name(), s.windowStarts().size(),
                String.join(" ", s.trace().zones()), s.job().workHours(), s.job().deadlineHours(),
                s.job().restartOverheadHours(), s.job().checkpointGb(), s.trace().gapSeconds(), seconds);
        List<ReplayResult.Summary> rows = result.summaries();
        double optimal = mean("optimal");
        List<String> header = List.of("policy", "mean cost", "÷ on-demand", "÷ optimal", "misses", "migrations", "spot hours");
        List<List<String>> cells = new ArrayList<>();
        for (ReplayResult.Summary r : rows) {
            cells.add(List.of(r.policy(), String.format(Locale.ROOT, "$%.2f", r.meanCost()),
                    String.format(Locale.ROOT, "%.3f", r.costVsOnDemand()),
                    Double.isNaN(optimal) ? "-" : String.format(Locale.ROOT, "%.3f", r.meanCost() / optimal),
                    r.misses() + "/" + result.rows().size(), String.format(Locale.ROOT, "%.1f", r.meanMigrations()),
                    String.format(Locale.ROOT, "%.1f", r.meanSpotHours())));
        }
        printTable(out, header, cells);
        out.printf(Locale.ROOT, "on-demand reference: $%.2f per job (the whole job on on-demand at $%.2f/h)%n",
                result.onDemandCost(), s.trace().onDemandPrice());
        goals(out, optimal);
    }

    private void goals(PrintWriter out, double optimal) {
        double mine = mean("spotkeeper");
        double failover = mean("failover");
        if (Double.isNaN(mine)) {
            return;
        }
        StringBuilder sb = new StringBuilder("B2 goals for spotkeeper:");
        if (!Double.isNaN(optimal)) {
            double r = mine / optimal;
            sb.append(String.format(Locale.ROOT, " %.3f × optimal (goal ≤ %.2f: %s);", r, GOAL_VS_OPTIMAL,
                    r <= GOAL_VS_OPTIMAL ? "met" : "NOT met"));
        }
        if (!Double.isNaN(failover)) {
            double r = mine / failover;
            sb.append(String.format(Locale.ROOT, " %.3f × failover (goal ≤ %.2f: %s);", r, GOAL_VS_FAILOVER,
                    r <= GOAL_VS_FAILOVER ? "met" : "NOT met"));
            if (!Double.isNaN(optimal) && optimal / failover > GOAL_VS_FAILOVER) {
                sb.append(String.format(Locale.ROOT, " (even the optimum is %.3f × failover here);", optimal / failover));
            }
        }
        int misses = result.summaries().get(result.policies().indexOf("spotkeeper")).misses();
        sb.append(String.format(Locale.ROOT, " %d deadline misses (goal 0: %s)", misses, misses == 0 ? "met" : "NOT met"));
        out.println(sb);
    }

    private double mean(String policy) {
        int i = result.policies().indexOf(policy);
        return i < 0 ? Double.NaN : result.summaries().get(i).meanCost();
    }

    static void printTable(PrintWriter out, List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (int n = 0; n < all.size(); n++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                String c = all.get(n).get(i);
                String pad = " ".repeat(width[i] - c.length());
                sb.append(i == 0 ? "" : "  ").append(i == 0 ? c + pad : pad + c);
            }
            out.println(sb.toString().stripTrailing());
            if (n == 0) {
                StringBuilder rule = new StringBuilder();
                for (int i = 0; i < width.length; i++) {
                    rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
                }
                out.println(rule);
            }
        }
    }

    /** Writes {@code <scenario>-windows.csv}, {@code -summary.csv}, {@code -cost.svg} and {@code -timeline.svg}. */
    public List<Path> write(Path dir) {
        String base = result.scenario().name().replaceAll("[^A-Za-z0-9._-]", "_");
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            written.add(writeFile(dir.resolve(base + "-windows.csv"), windowsCsv()));
            written.add(writeFile(dir.resolve(base + "-summary.csv"), summaryCsv()));
            written.add(writeFile(dir.resolve(base + "-cost.svg"), costChart()));
            written.add(writeFile(dir.resolve(base + "-timeline.svg"), timelineChart()));
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "cannot write the results to " + dir + ": "
                    + e.getMessage() + "; choose another folder with --out", e);
        }
        return written;
    }

    private static Path writeFile(Path path, String text) throws IOException {
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return path;
    }

    String windowsCsv() {
        StringBuilder sb = new StringBuilder("window,start_hours,policy,cost_usd,cost_vs_on_demand,missed,migrations,"
                + "preemptions,spot_hours,on_demand_hours,finish_hours\n");
        double gap = result.scenario().trace().gapHours();
        double od = result.onDemandCost();
        for (int w = 0; w < result.rows().size(); w++) {
            for (RunResult r : result.rows().get(w)) {
                sb.append(String.format(Locale.ROOT, "%d,%.4f,%s,%.4f,%.4f,%s,%d,%d,%.4f,%.4f,%.4f%n", w,
                        r.startTick() * gap, r.policy(), r.cost(), r.cost() / od, r.missed(), r.migrations(),
                        r.preemptions(), r.spotHours(), r.onDemandHours(), r.finishHours()));
            }
        }
        return sb.toString();
    }

    String summaryCsv() {
        StringBuilder sb = new StringBuilder("policy,mean_cost_usd,cost_vs_on_demand,misses,windows,mean_migrations,mean_spot_hours\n");
        for (ReplayResult.Summary r : result.summaries()) {
            sb.append(String.format(Locale.ROOT, "%s,%.4f,%.4f,%d,%d,%.3f,%.3f%n", r.policy(), r.meanCost(),
                    r.costVsOnDemand(), r.misses(), result.rows().size(), r.meanMigrations(), r.meanSpotHours()));
        }
        return sb.toString();
    }

    String costChart() {
        BarChart chart = new BarChart(result.scenario().name() + ": mean cost per job ÷ on-demand (lower is better)", "×");
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
        int start = result.scenario().windowStarts().get(timelineWindow);
        int ticks = result.model().deadlineTicks();
        boolean[][] available = new boolean[trace.zoneCount()][ticks];
        double[][] prices = new double[trace.zoneCount()][ticks];
        for (int z = 0; z < trace.zoneCount(); z++) {
            for (int t = 0; t < ticks; t++) {
                available[z][t] = trace.available(z, start + t);
                prices[z][t] = trace.price(z, start + t);
            }
        }
        TimelineChart chart = new TimelineChart(String.format(Locale.ROOT, "%s, window %d (starts %.1f h into the trace)",
                result.scenario().name(), timelineWindow, start * trace.gapHours()), trace.gapHours(), trace.zones(),
                available, prices, trace.onDemandPrice());
        for (RunResult r : result.rows().get(timelineWindow)) {
            if (r.timeline() != null) {
                chart.row(String.format(Locale.ROOT, "%s $%.2f", r.policy(), r.cost()), r.timeline());
            }
        }
        return chart.toSvg();
    }
}
