package dev.spotkeeper.sim.trace;

import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.json.JsonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * spotkeeper's own trace format, so users can replay their own market history. JSON:
 * <pre>{"gap-seconds": 195, "on-demand-price": 3.06,
 *  "zones": [{"zone": "us-east-1a", "region": "us-east-1", "availability": [1, 0, 1], "prices": [1.2, 1.2, 1.3],
 *             "on-demand-price": 3.06, "scores": [9, 3, 8]}]}</pre>
 * ({@code region} optional, inferred from AWS and Google Cloud zone names; {@code prices} optional when the zone
 * has a constant {@code "price"}; a zone's {@code on-demand-price} overrides the top-level one, which may then be
 * left out; {@code scores} (or a constant {@code score}) are optional placement-score-like hints, 1–10). CSV, one
 * row per zone and tick, ticks 0..n-1 for every zone, see {@link TraceCsv}. Availability 1 means spot could be
 * obtained.
 */
public final class TraceFile {
    private static final Set<String> TOP_KEYS = Set.of("gap-seconds", "on-demand-price", "zones");
    private static final Set<String> ZONE_KEYS = Set.of("zone", "region", "availability", "prices", "price",
            "on-demand-price", "scores", "score");

    private TraceFile() {
    }

    public static Trace read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw SpotkeeperException.malformedFile(path.toString(), 0, "no such file");
        } catch (IOException e) {
            throw SpotkeeperException.malformedFile(path.toString(), 0, "cannot read: " + e.getMessage());
        }
        String name = path.toString();
        return name.toLowerCase().endsWith(".json") ? parseJson(name, text) : TraceCsv.parse(name, text);
    }

    @SuppressWarnings("unchecked")
    public static Trace parseJson(String file, String text) {
        Map<String, Object> root;
        try {
            root = Json.parseObject(text);
        } catch (JsonException e) {
            throw SpotkeeperException.malformedFile(file, 0, e.getMessage());
        }
        refuseUnknown(file, "the top level", root.keySet(), TOP_KEYS);
        double gap = number(file, "gap-seconds", root.get("gap-seconds"));
        Double onDemand = root.containsKey("on-demand-price") ? number(file, "on-demand-price", root.get("on-demand-price"))
                : null;
        if (!(root.get("zones") instanceof List<?> zoneList) || zoneList.isEmpty()) {
            throw SpotkeeperException.malformedFile(file, 0, "'zones' must be a non-empty array of zone objects");
        }
        int n = zoneList.size();
        List<String> zones = new ArrayList<>();
        List<String> regions = new ArrayList<>();
        boolean[][] available = new boolean[n][];
        double[][] prices = new double[n][];
        double[] onDemandByZone = new double[n];
        int[][] scores = new int[n][];
        for (int i = 0; i < n; i++) {
            if (!(zoneList.get(i) instanceof Map<?, ?> m)) {
                throw SpotkeeperException.malformedFile(file, 0, "zones[" + i + "] must be an object");
            }
            Map<String, Object> z = (Map<String, Object>) m;
            refuseUnknown(file, "zones[" + i + "]", z.keySet(), ZONE_KEYS);
            if (!(z.get("zone") instanceof String zone) || zone.isBlank()) {
                throw SpotkeeperException.malformedFile(file, 0, "zones[" + i + "] needs a 'zone' name");
            }
            zones.add(zone);
            regions.add(z.get("region") instanceof String r ? r : Trace.regionOf(zone));
            int ticks = available[0] == null ? -1 : available[0].length;
            available[i] = availability(file, zone, z.get("availability"), ticks);
            prices[i] = series(file, zone, z, "prices", "price", available[i].length);
            if (prices[i] == null) {
                throw SpotkeeperException.malformedFile(file, 0, "zone " + zone + " needs 'prices' (one per tick) or a constant 'price'");
            }
            if (z.containsKey("on-demand-price")) {
                onDemandByZone[i] = number(file, zone + ".on-demand-price", z.get("on-demand-price"));
            } else if (onDemand != null) {
                onDemandByZone[i] = onDemand;
            } else {
                throw SpotkeeperException.malformedFile(file, 0, "zone " + zone + " has no on-demand price: give a "
                        + "top-level 'on-demand-price' or one in the zone");
            }
            double[] s = series(file, zone, z, "scores", "score", available[i].length);
            scores[i] = s == null ? null : scores(file, zone, s);
        }
        return new Trace(file, zones, regions, gap, available, prices, onDemandByZone, scores);
    }

    private static boolean[] availability(String file, String zone, Object value, int ticks) {
        double[] a = numbers(file, zone + ".availability", value, ticks);
        if (a.length == 0) {
            throw SpotkeeperException.malformedFile(file, 0, "zone " + zone + " has no rows in 'availability'");
        }
        boolean[] out = new boolean[a.length];
        for (int t = 0; t < a.length; t++) {
            if (a[t] != 0 && a[t] != 1) {
                throw SpotkeeperException.malformedFile(file, 0, zone + ".availability[" + t + "] must be 1 (available) or 0");
            }
            out[t] = a[t] == 1;
        }
        return out;
    }

    /** A per-tick series under {@code many}, or a constant under {@code one}, or null when neither is given. */
    private static double[] series(String file, String zone, Map<String, Object> z, String many, String one, int ticks) {
        if (z.containsKey(many)) {
            return numbers(file, zone + "." + many, z.get(many), ticks);
        }
        if (z.containsKey(one)) {
            double[] out = new double[ticks];
            java.util.Arrays.fill(out, number(file, zone + "." + one, z.get(one)));
            return out;
        }
        return null;
    }

    static int[] scores(String file, String zone, double[] values) {
        int[] out = new int[values.length];
        for (int t = 0; t < values.length; t++) {
            double v = values[t];
            if (v != Math.rint(v) || v < 0 || v > 10) {
                throw SpotkeeperException.malformedFile(file, 0, zone + ".scores[" + t + "] must be a whole number 1–10 "
                        + "(0 for none), found " + v);
            }
            out[t] = (int) v;
        }
        return out;
    }

    static void refuseUnknown(String file, String where, Set<String> keys, Set<String> valid) {
        for (String k : keys) {
            if (!valid.contains(k)) {
                throw SpotkeeperException.malformedFile(file, 0, "unknown key '" + k + "' in " + where
                        + Names.didYouMean(k, valid) + "; valid keys: " + String.join(", ", new java.util.TreeSet<>(valid)));
            }
        }
    }

    static double number(String file, String key, Object value) {
        if (!(value instanceof Number n)) {
            throw SpotkeeperException.malformedFile(file, 0, "'" + key + "' must be a number, found " + Json.typeName(value));
        }
        return n.doubleValue();
    }

    /** An array of numbers; {@code expected} >= 0 checks its length. */
    static double[] numbers(String file, String key, Object value, int expected) {
        if (!(value instanceof List<?> list)) {
            throw SpotkeeperException.malformedFile(file, 0, "'" + key + "' must be an array of numbers, found "
                    + Json.typeName(value));
        }
        if (expected >= 0 && list.size() != expected) {
            throw SpotkeeperException.malformedFile(file, 0, "the series '" + key + "' has " + list.size()
                    + " values but the trace has " + expected + " ticks");
        }
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number n)) {
                throw SpotkeeperException.malformedFile(file, 0, key + "[" + i + "] must be a number, found "
                        + Json.typeName(list.get(i)));
            }
            out[i] = n.doubleValue();
        }
        return out;
    }
}
