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
 *  "zones": [{"zone": "us-east-1a", "region": "us-east-1", "availability": [1, 0, 1], "prices": [1.2, 1.2, 1.3]}]}</pre>
 * ({@code region} optional, derived from AWS zone names; {@code prices} optional when the zone has a constant
 * {@code "price"}). CSV, one row per zone and tick, ticks 0..n-1 for every zone, {@code price} optional when a
 * {@code # spot-price:} line is given:
 * <pre># gap-seconds: 195
 * # on-demand-price: 3.06
 * zone,tick,available,price
 * us-east-1a,0,1,1.20</pre>
 * Availability 1 means spot could be obtained.
 */
public final class TraceFile {
    private static final Set<String> TOP_KEYS = Set.of("gap-seconds", "on-demand-price", "zones");
    private static final Set<String> ZONE_KEYS = Set.of("zone", "region", "availability", "prices", "price");

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
        double onDemand = number(file, "on-demand-price", root.get("on-demand-price"));
        if (!(root.get("zones") instanceof List<?> zoneList) || zoneList.isEmpty()) {
            throw SpotkeeperException.malformedFile(file, 0, "'zones' must be a non-empty array of zone objects");
        }
        List<String> zones = new ArrayList<>();
        List<String> regions = new ArrayList<>();
        boolean[][] available = new boolean[zoneList.size()][];
        double[][] prices = new double[zoneList.size()][];
        for (int i = 0; i < zoneList.size(); i++) {
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
            double[] a = numbers(file, zone + ".availability", z.get("availability"), ticks);
            if (a.length == 0) {
                throw SpotkeeperException.malformedFile(file, 0, "zone " + zone + " has no rows in 'availability'");
            }
            available[i] = new boolean[a.length];
            for (int t = 0; t < a.length; t++) {
                if (a[t] != 0 && a[t] != 1) {
                    throw SpotkeeperException.malformedFile(file, 0, zone + ".availability[" + t + "] must be 1 (available) or 0");
                }
                available[i][t] = a[t] == 1;
            }
            if (z.containsKey("prices")) {
                prices[i] = numbers(file, zone + ".prices", z.get("prices"), a.length);
            } else if (z.containsKey("price")) {
                prices[i] = new double[a.length];
                java.util.Arrays.fill(prices[i], number(file, zone + ".price", z.get("price")));
            } else {
                throw SpotkeeperException.malformedFile(file, 0, "zone " + zone + " needs 'prices' (one per tick) or a constant 'price'");
            }
        }
        return new Trace(file, zones, regions, gap, available, prices, onDemand);
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
