package dev.spotkeeper.sim;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.SpotkeeperException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One axis along which a scenario is replayed again and again, everything else kept: the deadline (as a multiple
 * of the work), the number of zones, or the checkpoint size. Written {@code deadline=1.05,1.5,3},
 * {@code zones=1..9} or {@code checkpoint-gb=0,50,500,4000}.
 */
public record Sweep(Axis axis, List<Double> values) {
    /** What a sweep varies. */
    public enum Axis {
        /** The deadline, as a multiple of the work: {@code 1.5} is B2's job. */
        DEADLINE("deadline", "deadline ÷ work"),
        /** How many of the scenario's zones each window may use, drawn at random (seeded) per window. */
        ZONES("zones", "zones"),
        /** The checkpoint that moves with the job across regions, in GB. */
        CHECKPOINT_GB("checkpoint-gb", "checkpoint GB");

        private final String key;
        private final String label;

        Axis(String key, String label) {
            this.key = key;
            this.label = label;
        }

        public String key() {
            return key;
        }

        public String label() {
            return label;
        }
    }

    public Sweep {
        requireNonNull(axis, "axis is null");
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw SpotkeeperException.invalidArgument("--sweep " + axis.key + " has no values");
        }
    }

    /** Parses {@code axis=v1,v2,…}, where a value may be a range {@code a..b} of whole numbers. */
    public static Sweep parse(String text) {
        int eq = text.indexOf('=');
        List<String> keys = Arrays.stream(Axis.values()).map(Axis::key).toList();
        if (eq <= 0) {
            throw SpotkeeperException.invalidArgument("--sweep '" + text + "' should be AXIS=VALUES, e.g. deadline=1.05,1.5,3, "
                    + "zones=1..9 or checkpoint-gb=0,50,500,4000");
        }
        String key = text.substring(0, eq).strip();
        Axis axis = null;
        for (Axis a : Axis.values()) {
            if (a.key.equals(key)) {
                axis = a;
            }
        }
        if (axis == null) {
            throw SpotkeeperException.invalidArgument("--sweep: unknown axis '" + key + "'" + Names.didYouMean(key, keys)
                    + "; known: " + String.join(", ", keys));
        }
        List<Double> values = new ArrayList<>();
        for (String item : text.substring(eq + 1).split(",")) {
            String v = item.strip();
            if (v.isEmpty()) {
                continue;
            }
            if (v.contains("..")) {
                range(text, v, values);
            } else {
                values.add(number(text, v));
            }
        }
        Sweep sweep = new Sweep(axis, values);
        sweep.check(text);
        return sweep;
    }

    private static void range(String text, String v, List<Double> out) {
        String[] ends = v.split("\\.\\.", -1);
        if (ends.length != 2) {
            throw SpotkeeperException.invalidArgument("--sweep " + text + ": '" + v + "' is not a range a..b");
        }
        double a = number(text, ends[0]);
        double b = number(text, ends[1]);
        if (a != Math.rint(a) || b != Math.rint(b) || b < a) {
            throw SpotkeeperException.invalidArgument("--sweep " + text + ": a range a..b needs whole numbers with a <= b, got '"
                    + v + "'");
        }
        for (double x = a; x <= b; x++) {
            out.add(x);
        }
    }

    private static double number(String text, String v) {
        try {
            double d = Double.parseDouble(v.strip());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw SpotkeeperException.invalidArgument("--sweep " + text + ": '" + v.strip() + "' is not a number");
    }

    private void check(String text) {
        for (double v : values) {
            boolean ok = switch (axis) {
                case DEADLINE -> v > 1;
                case ZONES -> v >= 1 && v == Math.rint(v);
                case CHECKPOINT_GB -> v >= 0;
            };
            if (!ok) {
                String need = switch (axis) {
                    case DEADLINE -> "a multiple of the work greater than 1";
                    case ZONES -> "a whole number of zones, at least 1";
                    case CHECKPOINT_GB -> "a size in GB, at least 0";
                };
                throw SpotkeeperException.invalidArgument("--sweep " + text + ": each value must be " + need + ", got "
                        + format(v));
            }
        }
    }

    /** A value as the tables and file names show it: {@code 1.05}, {@code 9}, {@code 4000}. */
    public static String format(double v) {
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%s", new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros()
                .toPlainString());
    }

    /** One point of a sweep: the value, the scenario it is reported as, and its windows. */
    public record Point(double value, Scenario scenario, List<Replay.Case> cases) {
        public Point {
            requireNonNull(scenario, "scenario is null");
            cases = List.copyOf(cases);
        }
    }

    /** Every point of this sweep over {@code base}, in the order of the values. */
    public List<Point> points(Scenario base) {
        return switch (axis) {
            case DEADLINE -> deadlinePoints(base);
            case ZONES -> zonePoints(base);
            case CHECKPOINT_GB -> values.stream().map(v -> point(v, base.withJob(checkpoint(base.job(), v)))).toList();
        };
    }

    private Point point(double value, Scenario s) {
        Scenario named = s.withName(s.name() + " " + axis.key + "=" + format(value));
        named.model();
        return new Point(value, named, named.windowStarts().stream().map(t -> new Replay.Case(named, t)).toList());
    }

    /**
     * Every point replays the same windows: drawn once for the longest deadline of the sweep, so that a window fits
     * at every point.
     */
    private List<Point> deadlinePoints(Scenario base) {
        double longest = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        Scenario widest = base.withJob(deadline(base.job(), longest));
        widest.model();
        List<Double> hours = widest.windowStarts().stream().map(t -> t * base.trace().gapHours()).toList();
        List<Point> out = new ArrayList<>();
        for (double v : values) {
            out.add(point(v, base.withJob(deadline(base.job(), v)).withWindows(Windows.at(hours))));
        }
        return out;
    }

    /**
     * Each window draws its zones (seeded by the scenario's seed, the count and the window) from the scenario's,
     * the same draw for every policy.
     */
    private List<Point> zonePoints(Scenario base) {
        List<String> all = base.trace().zones();
        List<Integer> starts = base.windowStarts();
        base.model();
        List<Point> out = new ArrayList<>();
        for (double v : values) {
            int n = (int) v;
            if (n > all.size()) {
                throw SpotkeeperException.invalidArgument("--sweep zones=" + n + ": scenario " + base.name() + " has only "
                        + all.size() + " zones");
            }
            Scenario named = base.withName(base.name() + " zones=" + n);
            List<Replay.Case> cases = new ArrayList<>();
            for (int w = 0; w < starts.size(); w++) {
                Scenario s = n == all.size() ? named
                        : named.withZones(draw(all, n, base.windows().seed() * 1_000_003L + n * 7919L + w));
                cases.add(new Replay.Case(s, starts.get(w)));
            }
            out.add(new Point(v, named, cases));
        }
        return out;
    }

    /** {@code n} of {@code all}, kept in their order. */
    static List<String> draw(List<String> all, int n, long seed) {
        List<Integer> index = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            index.add(i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = index.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer tmp = index.get(i);
            index.set(i, index.get(j));
            index.set(j, tmp);
        }
        List<Integer> chosen = new ArrayList<>(index.subList(0, n));
        chosen.sort(null);
        return chosen.stream().map(all::get).toList();
    }

    private static JobSpec deadline(JobSpec job, double multiple) {
        return new JobSpec(job.workHours(), job.workHours() * multiple, job.restartOverheadHours(), job.checkpointGb());
    }

    private static JobSpec checkpoint(JobSpec job, double gb) {
        return new JobSpec(job.workHours(), job.deadlineHours(), job.restartOverheadHours(), gb);
    }
}
