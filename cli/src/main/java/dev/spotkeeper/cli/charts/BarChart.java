package dev.spotkeeper.cli.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart as standalone SVG: one bar per label, an optional goal line, values printed at the
 * bar ends. Enough for benchmark figures and cost comparisons without a plotting library.
 */
public final class BarChart {
    private record Bar(String label, double value, String color) {
    }

    private final String title;
    private final String unit;
    private final List<Bar> bars = new ArrayList<>();
    private double goal = Double.NaN;
    private String goalLabel = "";

    public BarChart(String title, String unit) {
        this.title = title;
        this.unit = unit;
    }

    public BarChart bar(String label, double value) {
        return bar(label, value, "#4C78A8");
    }

    public BarChart bar(String label, double value, String color) {
        bars.add(new Bar(label, value, color));
        return this;
    }

    public BarChart goal(double value, String label) {
        this.goal = value;
        this.goalLabel = label;
        return this;
    }

    public String toSvg() {
        int labelWidth = 260;
        int plotWidth = 520;
        int barHeight = 26;
        int top = 50;
        int height = top + bars.size() * (barHeight + 10) + 40;
        double max = Double.isNaN(goal) ? 0 : goal;
        for (Bar b : bars) {
            max = Math.max(max, b.value);
        }
        max = max <= 0 ? 1 : max * 1.15;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"13\">%n",
                labelWidth + plotWidth + 40, height));
        s.append(String.format(Locale.ROOT, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"));
        s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"24\" font-size=\"16\" font-weight=\"bold\">%s</text>%n", esc(title)));
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = top + i * (barHeight + 10);
            double w = Math.max(1, plotWidth * b.value / max);
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    labelWidth - 8, y + barHeight - 8, esc(b.label)));
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                    labelWidth, y, w, barHeight, b.color));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s %s</text>%n",
                    labelWidth + w + 6, y + barHeight - 8, format(b.value), esc(unit)));
        }
        if (!Double.isNaN(goal)) {
            double x = labelWidth + plotWidth * goal / max;
            int bottom = top + bars.size() * (barHeight + 10);
            s.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#E45756\" stroke-dasharray=\"6,4\" stroke-width=\"2\"/>%n",
                    x, top - 8, x, bottom));
            // A label right of a line in the plot's right half would run off the image: put it left of the line.
            boolean rightHalf = x > labelWidth + plotWidth / 2.0;
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#E45756\" text-anchor=\"%s\">%s</text>%n",
                    rightHalf ? x - 4 : x + 4, bottom + 18, rightHalf ? "end" : "start", esc(goalLabel)));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static String format(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
