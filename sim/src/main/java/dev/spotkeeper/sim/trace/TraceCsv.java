package dev.spotkeeper.sim.trace;

import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.SpotkeeperException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CSV flavour of {@link TraceFile}: {@code # key: value} setting lines, then a header naming the columns and
 * one row per zone and tick:
 * <pre># gap-seconds: 195
 * # on-demand-price: 3.06
 * # on-demand-price us-west-2: 3.30
 * zone,tick,available,price
 * us-east-1a,0,1,1.20</pre>
 * {@code zone}, {@code tick} and {@code available} are required; {@code price} (else a {@code # spot-price:} line),
 * {@code region} (else inferred from the zone name) and {@code score} (a placement-score-like hint, 1–10) are
 * optional, in any order. {@code # on-demand-price NAME:} sets the price of one zone or region.
 */
final class TraceCsv {
    private static final List<String> REQUIRED = List.of("zone", "tick", "available");
    private static final List<String> COLUMNS = List.of("zone", "tick", "available", "price", "region", "score");
    private static final List<String> SETTINGS = List.of("gap-seconds", "on-demand-price", "spot-price");

    private TraceCsv() {
    }

    private static final class Series {
        final List<Boolean> available = new ArrayList<>();
        final List<Double> prices = new ArrayList<>();
        final List<Integer> scores = new ArrayList<>();
        String region;
    }

    private record Header(int line, Map<String, Integer> columns) {
        int index(String column) {
            return columns.getOrDefault(column, -1);
        }
    }

    static Trace parse(String file, String text) {
        String[] lines = text.split("\r?\n");
        Map<String, Double> settings = new LinkedHashMap<>();
        Map<String, Double> onDemandFor = new LinkedHashMap<>();
        Map<String, Series> zones = new LinkedHashMap<>();
        Header header = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                setting(file, i + 1, line.substring(1).strip(), settings, onDemandFor);
                continue;
            }
            String[] c = line.split(",", -1);
            if (header == null) {
                header = header(file, i + 1, c, line);
                continue;
            }
            row(file, i + 1, c, header, settings, zones);
        }
        if (header == null || zones.isEmpty()) {
            throw SpotkeeperException.malformedFile(file, 0, "no rows: expected a 'zone,tick,available[,price]' header and rows");
        }
        Double gap = settings.get("gap-seconds");
        Double onDemand = settings.get("on-demand-price");
        if (gap == null || onDemand == null && onDemandFor.isEmpty()) {
            throw SpotkeeperException.malformedFile(file, 0, "missing '# gap-seconds: N' or '# on-demand-price: P' line");
        }
        if (header.index("price") < 0 && !settings.containsKey("spot-price")) {
            throw SpotkeeperException.malformedFile(file, header.line(), "no price column and no '# spot-price: P' line");
        }
        return build(file, zones, gap, onDemand, onDemandFor, header.index("score") >= 0);
    }

    private static Header header(String file, int line, String[] cells, String text) {
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (int k = 0; k < cells.length; k++) {
            String name = cells[k].strip();
            if (!COLUMNS.contains(name) || columns.containsKey(name)) {
                throw SpotkeeperException.malformedFile(file, line, "wrong columns: expected 'zone,tick,available' and "
                        + "optionally price, region, score, found '" + text + "'"
                        + (COLUMNS.contains(name) ? "" : Names.didYouMean(name, COLUMNS)));
            }
            columns.put(name, k);
        }
        if (!columns.keySet().containsAll(REQUIRED)) {
            throw SpotkeeperException.malformedFile(file, line, "wrong columns: expected 'zone,tick,available' and "
                    + "optionally price, region, score, found '" + text + "'");
        }
        return new Header(line, columns);
    }

    private static void row(String file, int line, String[] c, Header h, Map<String, Double> settings,
                            Map<String, Series> zones) {
        if (c.length != h.columns().size()) {
            throw SpotkeeperException.malformedFile(file, line, "wrong columns: expected " + h.columns().size()
                    + " cells, found " + c.length);
        }
        String zone = c[h.index("zone")].strip();
        Series s = zones.computeIfAbsent(zone, k -> new Series());
        int tick = integer(file, line, "tick", c[h.index("tick")]);
        if (tick != s.available.size()) {
            throw SpotkeeperException.malformedFile(file, line, "unaligned ticks: zone " + zone + " expected tick "
                    + s.available.size() + " next, found " + tick);
        }
        String a = c[h.index("available")].strip();
        if (!a.equals("0") && !a.equals("1")) {
            throw SpotkeeperException.malformedFile(file, line, "available must be 1 (available) or 0, found '" + a + "'");
        }
        s.available.add(a.equals("1"));
        s.prices.add(h.index("price") >= 0 ? decimal(file, line, "price", c[h.index("price")])
                : settings.getOrDefault("spot-price", Double.NaN));
        if (h.index("score") >= 0) {
            int score = integer(file, line, "score", c[h.index("score")]);
            if (score < 0 || score > 10) {
                throw SpotkeeperException.malformedFile(file, line, "score must be 1–10 (0 for none), found " + score);
            }
            s.scores.add(score);
        }
        if (h.index("region") >= 0) {
            String region = c[h.index("region")].strip();
            if (s.region != null && !s.region.equals(region)) {
                throw SpotkeeperException.malformedFile(file, line, "zone " + zone + " is in region " + s.region
                        + " on earlier rows but " + region + " here");
            }
            s.region = region.isEmpty() ? null : region;
        }
    }

    private static Trace build(String file, Map<String, Series> zones, double gap, Double onDemand,
                               Map<String, Double> onDemandFor, boolean withScores) {
        List<String> names = new ArrayList<>(zones.keySet());
        int n = names.size();
        List<String> regions = new ArrayList<>();
        boolean[][] available = new boolean[n][];
        double[][] prices = new double[n][];
        double[] onDemandByZone = new double[n];
        int[][] scores = new int[n][];
        for (int z = 0; z < n; z++) {
            Series s = zones.get(names.get(z));
            String region = s.region != null ? s.region : Trace.regionOf(names.get(z));
            regions.add(region);
            available[z] = new boolean[s.available.size()];
            prices[z] = new double[s.prices.size()];
            for (int t = 0; t < available[z].length; t++) {
                available[z][t] = s.available.get(t);
                prices[z][t] = s.prices.get(t);
            }
            scores[z] = withScores ? s.scores.stream().mapToInt(Integer::intValue).toArray() : null;
            Double price = onDemandFor.getOrDefault(names.get(z), onDemandFor.getOrDefault(region, onDemand));
            if (price == null) {
                throw SpotkeeperException.malformedFile(file, 0, "zone " + names.get(z) + " has no on-demand price: add "
                        + "'# on-demand-price: P' or '# on-demand-price " + region + ": P'");
            }
            onDemandByZone[z] = price;
        }
        for (String key : onDemandFor.keySet()) {
            if (!names.contains(key) && !regions.contains(key)) {
                throw SpotkeeperException.malformedFile(file, 0, "'# on-demand-price " + key + "' names neither a zone nor "
                        + "a region of this trace" + Names.didYouMean(key, regions));
            }
        }
        return new Trace(file, names, regions, gap, available, prices, onDemandByZone, scores);
    }

    private static void setting(String file, int line, String text, Map<String, Double> settings,
                                Map<String, Double> onDemandFor) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            return;
        }
        String key = text.substring(0, colon).strip();
        double value = decimal(file, line, key, text.substring(colon + 1));
        if (key.startsWith("on-demand-price ")) {
            onDemandFor.put(key.substring("on-demand-price ".length()).strip(), value);
            return;
        }
        if (!SETTINGS.contains(key)) {
            throw SpotkeeperException.malformedFile(file, line, "unknown setting '" + key + "'"
                    + Names.didYouMean(key, SETTINGS) + "; valid: " + String.join(", ", SETTINGS)
                    + ", on-demand-price ZONE-OR-REGION");
        }
        settings.put(key, value);
    }

    private static int integer(String file, int line, String what, String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw SpotkeeperException.malformedFile(file, line, what + " '" + s.strip() + "' is not a whole number");
        }
    }

    private static double decimal(String file, int line, String what, String s) {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            throw SpotkeeperException.malformedFile(file, line, what + " '" + s.strip() + "' is not a number");
        }
    }
}
