package dev.spotkeeper.cli.replay;

import dev.spotkeeper.cli.charts.LineChart;
import dev.spotkeeper.sim.Replay;
import dev.spotkeeper.sim.ReplayResult;
import dev.spotkeeper.sim.Scenario;
import dev.spotkeeper.sim.Sweep;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table, CSV and chart of one sweep: cost ÷ the offline optimum per policy at every point of the axis. */
public final class SweepReport {
    private static final String[] PALETTE = {"#4C78A8", "#F58518", "#B279A2", "#9D755D", "#72B7B2", "#EECA3B",
        "#FF9DA6"};
    private static final String SPOTKEEPER = "#54A24B";

    private final Scenario base;
    private final Sweep sweep;
    private final List<ReplayResult> points;

    /** {@code points.get(i)} is the replay at {@code sweep.values().get(i)}. */
    public SweepReport(Scenario base, Sweep sweep, List<ReplayResult> points) {
        if (points.size() != sweep.values().size()) {
            throw new IllegalArgumentException(sweep.values().size() + " values but " + points.size() + " results");
        }
        this.base = base;
        this.sweep = sweep;
        this.points = List.copyOf(points);
    }

    private List<String> policies() {
        return points.get(0).policies();
    }

    private int zonesAt(int point) {
        return sweep.axis() == Sweep.Axis.ZONES ? (int) Math.round(sweep.values().get(point)) : base.trace().zoneCount();
    }

    public void print(PrintWriter out, double seconds) {
        ReplayResult first = points.get(0);
        out.printf(Locale.ROOT, "%s, %s sweep (%s): %d windows per point; mean cost ÷ the offline optimum, deadline misses "
                        + "in brackets; replayed in %.1f s%n", base.name(), sweep.axis().key(), ReplayReport.mode(first),
                first.rows().size(), seconds);
        List<String> header = new ArrayList<>(List.of(sweep.axis().label()));
        boolean withOptimal = policies().contains(Replay.OPTIMAL);
        if (withOptimal) {
            header.add("optimal");
        }
        for (String p : policies()) {
            if (!p.equals(Replay.OPTIMAL)) {
                header.add(p);
            }
        }
        header.add("B2 goals");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            rows.add(row(i, withOptimal));
        }
        TextTable.print(out, header, rows);
    }

    private List<String> row(int i, boolean withOptimal) {
        ReplayResult r = points.get(i);
        double optimal = r.meanCost(Replay.OPTIMAL);
        List<String> row = new ArrayList<>(List.of(Sweep.format(sweep.values().get(i))));
        if (withOptimal) {
            row.add(String.format(Locale.ROOT, "$%.2f", optimal));
        }
        for (ReplayResult.Summary s : r.summaries()) {
            if (s.policy().equals(Replay.OPTIMAL)) {
                continue;
            }
            String value = withOptimal ? String.format(Locale.ROOT, "%.3f", s.meanCost() / optimal)
                    : String.format(Locale.ROOT, "$%.2f", s.meanCost());
            row.add(s.misses() > 0 ? value + " (" + s.misses() + ")" : value);
        }
        Goals goals = Goals.of(r, zonesAt(i));
        row.add(goals == null || !withOptimal ? "-" : goals.cell());
        return row;
    }

    /** Writes {@code <stem>-sweep-<axis>.csv} and {@code .svg}. */
    public List<Path> write(Path dir) {
        String stem = base.name().replaceAll("[^A-Za-z0-9._=-]", "_");
        ReplayResult first = points.get(0);
        if (first.information() != dev.spotkeeper.sim.Information.HONEST) {
            stem += "-" + first.information().label();
        }
        String name = stem + "-sweep-" + sweep.axis().key();
        return Files.writeAll(dir, List.of(new Files.Output(name + ".csv", csv()), new Files.Output(name + ".svg", chart())));
    }

    String csv() {
        StringBuilder sb = new StringBuilder("axis,value,information,policy,mean_cost_usd,cost_vs_optimal,cost_vs_on_demand,"
                + "misses,windows,mean_migrations,mean_spot_hours,mean_refused_launches\n");
        for (int i = 0; i < points.size(); i++) {
            ReplayResult r = points.get(i);
            double optimal = r.meanCost(Replay.OPTIMAL);
            for (ReplayResult.Summary s : r.summaries()) {
                sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%.4f,%.4f,%.4f,%d,%d,%.3f,%.3f,%.3f%n", sweep.axis().key(),
                        Sweep.format(sweep.values().get(i)), r.information().label(), s.policy(), s.meanCost(),
                        s.meanCost() / optimal, s.costVsOnDemand(), s.misses(), r.rows().size(), s.meanMigrations(),
                        s.meanSpotHours(), s.meanRefusedLaunches()));
            }
        }
        return sb.toString();
    }

    String chart() {
        List<String> categories = sweep.values().stream().map(Sweep::format).toList();
        LineChart chart = new LineChart(String.format(Locale.ROOT, "%s (%s): mean cost ÷ offline optimum along %s",
                base.name(), points.get(0).information().label(), sweep.axis().label()), sweep.axis().label(),
                "cost ÷ optimum (open marker: deadlines missed)", categories);
        int color = 0;
        for (String p : policies()) {
            if (p.equals(Replay.OPTIMAL)) {
                continue;
            }
            double[] values = new double[points.size()];
            boolean[] missed = new boolean[points.size()];
            for (int i = 0; i < points.size(); i++) {
                ReplayResult.Summary s = points.get(i).summary(p);
                values[i] = s.meanCost() / points.get(i).meanCost(Replay.OPTIMAL);
                missed[i] = s.misses() > 0;
            }
            chart.series(p, p.equals("spotkeeper") ? SPOTKEEPER : PALETTE[color++ % PALETTE.length], values, missed);
        }
        chart.goal(Goals.VS_OPTIMAL, "spotkeeper's goal ≤ 1.05");
        chart.scaleTop(2.0);
        return chart.toSvg();
    }
}
