package dev.spotkeeper.cli.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as standalone SVG: categories along x (evenly spaced, labelled), one line of markers per series,
 * an optional dashed goal line. Series entirely above the scale are named in a note instead of flattening the
 * rest; a point above it is drawn at the top with its value. Enough for a sweep of cost ÷ optimum per policy.
 */
public final class LineChart {
    private static final String GOAL = "#E45756";
    private static final int LEFT = 70;
    private static final int PLOT_WIDTH = 640;
    private static final int TOP = 60;
    private static final int PLOT_HEIGHT = 320;
    private static final int LEGEND_WIDTH = 190;

    private record Series(String name, String color, double[] values, boolean[] hollow) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<String> categories;
    private final List<Series> series = new ArrayList<>();
    private double goal = Double.NaN;
    private String goalLabel = "";
    private double scaleTop = Double.NaN;

    public LineChart(String title, String xLabel, String yLabel, List<String> categories) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.categories = List.copyOf(categories);
    }

    /** A series: one value per category (NaN: no point); {@code hollow[i]} marks a point drawn as an open circle. */
    public LineChart series(String name, String color, double[] values, boolean[] hollow) {
        if (values.length != categories.size() || hollow.length != categories.size()) {
            throw new IllegalArgumentException(name + " has " + values.length + " values for " + categories.size()
                    + " categories");
        }
        series.add(new Series(name, color, values.clone(), hollow.clone()));
        return this;
    }

    public LineChart goal(double value, String label) {
        this.goal = value;
        this.goalLabel = label;
        return this;
    }

    /** The highest value the y axis shows; series entirely above it are listed in a note. */
    public LineChart scaleTop(double top) {
        this.scaleTop = top;
        return this;
    }

    public String toSvg() {
        double top = scaleTop;
        if (series.stream().allMatch(s -> lowest(s) > scaleTop)) {
            // Nothing would be left to draw: show every series on its own scale instead.
            top = Double.NaN;
        }
        List<Series> drawn = new ArrayList<>();
        List<String> offScale = new ArrayList<>();
        double min = Double.isNaN(goal) ? Double.POSITIVE_INFINITY : goal;
        double max = Double.isNaN(goal) ? Double.NEGATIVE_INFINITY : goal;
        for (Series s : series) {
            double lo = lowest(s);
            if (!Double.isNaN(top) && lo > top) {
                offScale.add(String.format(Locale.ROOT, "%s (%s–%s)", s.name, format(lo), format(highest(s))));
                continue;
            }
            drawn.add(s);
            for (double v : s.values) {
                if (!Double.isNaN(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, Double.isNaN(top) ? v : Math.min(v, top));
                }
            }
        }
        if (!(max > min)) {
            max = min + 1;
        }
        double pad = (max - min) * 0.08;
        double yMin = Math.max(0, min - pad);
        double yMax = max + pad;
        int height = TOP + PLOT_HEIGHT + 70 + (offScale.isEmpty() ? 0 : 20);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", LEFT + PLOT_WIDTH + LEGEND_WIDTH, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                BarChart.esc(title)));
        axes(svg, yMin, yMax);
        if (!Double.isNaN(goal)) {
            double y = y(goal, yMin, yMax);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" "
                    + "stroke-dasharray=\"6,4\" stroke-width=\"1.5\"/>%n", LEFT, y, LEFT + PLOT_WIDTH, y, GOAL));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" fill=\"%s\" text-anchor=\"end\">%s</text>%n",
                    LEFT + PLOT_WIDTH - 4, y - 4, GOAL, BarChart.esc(goalLabel)));
        }
        for (Series s : drawn) {
            line(svg, s, yMin, yMax);
        }
        legend(svg, drawn);
        if (!offScale.isEmpty()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555555\">above the scale: %s</text>%n",
                    LEFT, TOP + PLOT_HEIGHT + 62, BarChart.esc(String.join(", ", offScale))));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void axes(StringBuilder svg, double yMin, double yMax) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#CCCCCC\"/>%n", LEFT, TOP, PLOT_WIDTH, PLOT_HEIGHT));
        for (int i = 0; i <= 4; i++) {
            double v = yMin + (yMax - yMin) * i / 4;
            double y = y(v, yMin, yMax);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#EEEEEE\"/>%n",
                    LEFT, y, LEFT + PLOT_WIDTH, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, y + 4, format(v)));
        }
        for (int i = 0; i < categories.size(); i++) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    x(i), TOP + PLOT_HEIGHT + 18, BarChart.esc(categories.get(i))));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                LEFT + PLOT_WIDTH / 2, TOP + PLOT_HEIGHT + 40, BarChart.esc(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>%n", TOP - 10, BarChart.esc(yLabel)));
    }

    private void line(StringBuilder svg, Series s, double yMin, double yMax) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < s.values.length; i++) {
            if (!Double.isNaN(s.values[i])) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(i), y(Math.min(s.values[i], yMax), yMin, yMax)));
            }
        }
        svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
                s.color, points.toString().strip()));
        for (int i = 0; i < s.values.length; i++) {
            double v = s.values[i];
            if (Double.isNaN(v)) {
                continue;
            }
            double y = y(Math.min(v, yMax), yMin, yMax);
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\" stroke=\"%s\" "
                    + "stroke-width=\"2\"/>%n", x(i), y, s.hollow[i] ? "white" : s.color, s.color));
            if (v > yMax) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" text-anchor=\"middle\">%s</text>%n",
                        x(i), y + 16, s.color, format(v)));
            }
        }
    }

    private void legend(StringBuilder svg, List<Series> drawn) {
        int x = LEFT + PLOT_WIDTH + 16;
        for (int i = 0; i < drawn.size(); i++) {
            int y = TOP + 10 + i * 20;
            Series s = drawn.get(i);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"2\"/>%n", x, y - 4, x + 18, y - 4, s.color));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x + 24, y, BarChart.esc(s.name)));
        }
    }

    private double x(int category) {
        return LEFT + PLOT_WIDTH * (category + 0.5) / categories.size();
    }

    private static double y(double v, double yMin, double yMax) {
        return TOP + PLOT_HEIGHT - PLOT_HEIGHT * (v - yMin) / (yMax - yMin);
    }

    private static double lowest(Series s) {
        double lo = Double.POSITIVE_INFINITY;
        for (double v : s.values) {
            lo = Double.isNaN(v) ? lo : Math.min(lo, v);
        }
        return lo;
    }

    private static double highest(Series s) {
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : s.values) {
            hi = Double.isNaN(v) ? hi : Math.max(hi, v);
        }
        return hi;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
