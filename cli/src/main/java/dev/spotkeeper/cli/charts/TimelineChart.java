package dev.spotkeeper.cli.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One window of a replay as standalone SVG: per zone a band that is coloured while spot is available, the spot
 * price of every zone as lines against the on-demand price, and one row per policy showing what it held at
 * each tick (a zone's colour for spot there, red for on-demand, blank for nothing).
 */
public final class TimelineChart {
    private static final String[] PALETTE = {"#4C78A8", "#F58518", "#54A24B", "#B279A2", "#9D755D", "#72B7B2",
        "#EECA3B", "#FF9DA6", "#79706E"};
    private static final String ON_DEMAND = "#E45756";
    private static final int LEFT = 170;
    private static final int PLOT = 820;
    private static final int ROW = 18;

    private record Row(String label, int[] held) {
    }

    private final String title;
    private final double tickHours;
    private final List<String> zones;
    private final boolean[][] available;
    private final double[][] prices;
    private final double onDemandPrice;
    private final List<Row> rows = new ArrayList<>();

    /**
     * @param available {@code available[zone][tick]} for the window
     * @param prices    {@code prices[zone][tick]} for the window
     */
    public TimelineChart(String title, double tickHours, List<String> zones, boolean[][] available,
                         double[][] prices, double onDemandPrice) {
        this.title = title;
        this.tickHours = tickHours;
        this.zones = List.copyOf(zones);
        this.available = available;
        this.prices = prices;
        this.onDemandPrice = onDemandPrice;
    }

    /** A policy row: per tick -1 nothing, a zone index, {@code zones.size()} or more on-demand, -2 finished. */
    public TimelineChart row(String label, int[] held) {
        rows.add(new Row(label, held.clone()));
        return this;
    }

    public String toSvg() {
        int ticks = available[0].length;
        int bandsTop = 50;
        int priceTop = bandsTop + zones.size() * ROW + 30;
        int priceHeight = 140;
        int rowsTop = priceTop + priceHeight + 30;
        int height = rowsTop + rows.size() * ROW + 90;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", LEFT + PLOT + 30, height));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                BarChart.esc(title)));
        s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">spot available</text>%n", bandsTop - 6));
        for (int z = 0; z < zones.size(); z++) {
            int y = bandsTop + z * ROW;
            label(s, zones.get(z), y);
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#EEEEEE\"/>%n",
                    LEFT, y, PLOT, ROW - 4));
            int start = -1;
            for (int t = 0; t <= ticks; t++) {
                boolean on = t < ticks && available[z][t];
                if (on && start < 0) {
                    start = t;
                } else if (!on && start >= 0) {
                    segment(s, start, t, ticks, y, color(z));
                    start = -1;
                }
            }
        }
        prices(s, ticks, priceTop, priceHeight);
        s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">what each policy held</text>%n",
                rowsTop - 6));
        for (int i = 0; i < rows.size(); i++) {
            int y = rowsTop + i * ROW;
            label(s, rows.get(i).label(), y);
            int[] held = rows.get(i).held();
            int from = 0;
            for (int t = 1; t <= held.length; t++) {
                if (t == held.length || held[t] != held[from]) {
                    int code = held[from];
                    if (code >= 0) {
                        segment(s, from, t, ticks, y, code >= zones.size() ? ON_DEMAND : color(code));
                    } else if (code == -2) {
                        segment(s, from, t, ticks, y + ROW / 2 - 3, "#CCCCCC");
                    }
                    from = t;
                }
            }
        }
        axis(s, ticks, rowsTop + rows.size() * ROW + 4);
        legend(s, rowsTop + rows.size() * ROW + 44);
        s.append("</svg>\n");
        return s.toString();
    }

    /** Spot prices on a scale fitted to them, so their differences show; on-demand is drawn only if it fits. */
    private void prices(StringBuilder s, int ticks, int top, int height) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] p : prices) {
            for (double v : p) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        double pad = Math.max(0.02, (max - min) * 0.1);
        min = Math.max(0, min - pad);
        max = max + pad;
        s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">spot price $/h</text>%n", top - 6));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#DDDDDD\"/>%n", LEFT, top, PLOT, height));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.2f</text>%n",
                LEFT - 6, top + 10, max));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.2f</text>%n",
                LEFT - 6, top + height, min));
        if (onDemandPrice <= max) {
            double yOd = y(onDemandPrice, min, max, top, height);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" "
                    + "stroke-dasharray=\"6,4\"/>%n", LEFT, yOd, LEFT + PLOT, yOd, ON_DEMAND));
        } else {
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"%s\">"
                    + "on-demand $%.2f/h is above this scale</text>%n", LEFT + PLOT, top - 6, ON_DEMAND, onDemandPrice));
        }
        int step = Math.max(1, ticks / 400);
        for (int z = 0; z < prices.length; z++) {
            StringBuilder points = new StringBuilder();
            for (int t = 0; t < ticks; t += step) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(t, ticks), y(prices[z][t], min, max, top, height)));
            }
            s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n",
                    color(z), points.toString().strip()));
        }
    }

    private void axis(StringBuilder s, int ticks, int y) {
        double hours = ticks * tickHours;
        int every = hours > 48 ? 12 : hours > 12 ? 4 : 1;
        for (int h = 0; h <= hours; h += every) {
            double x = LEFT + PLOT * h / hours;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999999\"/>%n", x, y, x, y + 5));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%dh</text>%n", x, y + 18, h));
        }
    }

    private void legend(StringBuilder s, int top) {
        int y = top;
        int x = LEFT;
        for (int z = 0; z <= zones.size(); z++) {
            String name = z < zones.size() ? zones.get(z) : "on-demand";
            String c = z < zones.size() ? color(z) : ON_DEMAND;
            int width = 24 + 8 * name.length();
            if (x + width > LEFT + PLOT) {
                x = LEFT;
                y += 20;
            }
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n", x, y - 10, c));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x + 16, y, BarChart.esc(name)));
            x += width;
        }
    }

    private static void label(StringBuilder s, String text, int y) {
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                LEFT - 6, y + ROW - 7, BarChart.esc(text)));
    }

    private static void segment(StringBuilder s, int from, int to, int ticks, int y, String color) {
        double x0 = x(from, ticks);
        s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                x0, y, Math.max(0.5, x(to, ticks) - x0), ROW - 4, color));
    }

    private static double x(int tick, int ticks) {
        return LEFT + (double) PLOT * tick / ticks;
    }

    private static double y(double price, double min, double max, int top, int height) {
        return top + height - height * (price - min) / (max - min);
    }

    private static String color(int zone) {
        return PALETTE[zone % PALETTE.length];
    }
}
