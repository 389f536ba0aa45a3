package dev.spotkeeper.bench;

import dev.spotkeeper.bench.FleetRig.Sample;
import dev.spotkeeper.bench.FleetRig.Warning;
import dev.spotkeeper.testkit.load.SteadyLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * B7's SVG: the healthy capacity of each pool stacked over time (the sampler's looks), the desired capacity as a
 * dashed line, a red bar per second for the failed requests sent in it (their own scale, on the right), and a
 * mark at each interruption warning.
 */
final class FleetTimeline {
    private static final String[] COLORS = {"#4C78A8", "#F58518", "#54A24B", "#B279A2", "#72B7B2", "#EECA3B"};
    private static final int LEFT = 60;
    private static final int TOP = 50;
    private static final int WIDTH = 800;
    private static final int HEIGHT = 300;

    private FleetTimeline() {
    }

    static String svg(String title, List<Sample> samples, List<SteadyLoad.Sample> failures, List<Warning> warnings,
                      Instant start, int replicas) {
        StringBuilder b = new StringBuilder();
        double seconds = samples.isEmpty() ? 1 : Math.max(1, secs(start, samples.get(samples.size() - 1).at()));
        int top = replicas + 2;
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", LEFT + WIDTH + 220, TOP + HEIGHT + 60));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\">%s</text>%n", LEFT, esc(title)));
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
                LEFT, TOP, WIDTH, HEIGHT));
        List<String> pools = samples.isEmpty() ? List.of() : List.copyOf(samples.get(0).perPool(java.util.Set.of()).keySet());
        for (int i = 1; i < samples.size(); i++) {
            Sample s = samples.get(i - 1);
            double x0 = x(secs(start, s.at()), seconds);
            double x1 = x(secs(start, samples.get(i).at()), seconds);
            if (x1 < LEFT) {
                continue;
            }
            int stacked = 0;
            java.util.Map<String, Integer> per = s.perPool(FleetBench.warnedBy(warnings, s.at()));
            for (int p = 0; p < pools.size(); p++) {
                int n = per.getOrDefault(pools.get(p), 0);
                if (n > 0) {
                    b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                            Math.max(LEFT, x0), y(stacked + n, top), x1 - Math.max(LEFT, x0), y(stacked, top) - y(stacked + n, top),
                            COLORS[p % COLORS.length]));
                }
                stacked += n;
            }
        }
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#333\" stroke-dasharray=\"6,4\"/>%n",
                LEFT, y(replicas, top), LEFT + WIDTH, y(replicas, top)));
        int[] perSecond = new int[(int) seconds + 1];
        int most = 1;
        for (SteadyLoad.Sample f : failures) {
            int s = (int) Math.floor(secs(start, f.start()));
            if (s >= 0 && s < perSecond.length) {
                most = Math.max(most, ++perSecond[s]);
            }
        }
        for (int s = 0; s < perSecond.length; s++) {
            if (perSecond[s] > 0) {
                double h = HEIGHT * 0.4 * perSecond[s] / most;
                b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#E45756\"/>%n",
                        x(s, seconds), TOP + HEIGHT - h, Math.max(1.5, WIDTH / seconds), h));
            }
        }
        for (Warning w : warnings) {
            double x = x(secs(start, w.time()), seconds);
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\" stroke-width=\"0.8\"/>%n",
                    x, TOP, x, TOP + HEIGHT));
        }
        for (int c = 0; c <= top; c++) {
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d</text>%n", LEFT - 6, y(c, top) + 4, c));
        }
        for (int s = 0; s <= seconds; s += 30) {
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d s</text>%n",
                    x(s, seconds), TOP + HEIGHT + 18, s));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">healthy instances; red: failed requests per second"
                + " (max %d); black lines: warnings</text>%n", LEFT, TOP + HEIGHT + 42, most));
        for (int p = 0; p < pools.size(); p++) {
            int ly = TOP + 10 + p * 20;
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + WIDTH + 15, ly, COLORS[p % COLORS.length],
                    LEFT + WIDTH + 33, ly + 11, esc(pools.get(p))));
        }
        return b.append("</svg>\n").toString();
    }

    private static double secs(Instant start, Instant t) {
        return Duration.between(start, t).toNanos() / 1e9;
    }

    private static double x(double s, double seconds) {
        return LEFT + WIDTH * s / seconds;
    }

    private static double y(double count, int top) {
        return TOP + HEIGHT - HEIGHT * count / top;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
