package dev.spotkeeper.sim.trace;

import dev.spotkeeper.core.SpotkeeperException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The CSV flavour of {@link TraceFile}: {@code # key: value} header lines, then {@code zone,tick,available[,price]}. */
final class TraceCsv {
    private TraceCsv() {
    }

    private static final class Series {
        final List<Boolean> available = new ArrayList<>();
        final List<Double> prices = new ArrayList<>();
    }

    static Trace parse(String file, String text) {
        String[] lines = text.split("\r?\n");
        Map<String, Double> settings = new LinkedHashMap<>();
        Map<String, Series> zones = new LinkedHashMap<>();
        int headerLine = 0;
        boolean withPrice = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                setting(file, i + 1, line.substring(1).strip(), settings);
                continue;
            }
            String[] c = line.split(",", -1);
            if (headerLine == 0) {
                headerLine = i + 1;
                String h = String.join(",", Arrays.stream(c).map(String::strip).toList());
                if (!h.equals("zone,tick,available") && !h.equals("zone,tick,available,price")) {
                    throw SpotkeeperException.malformedFile(file, i + 1, "wrong columns: expected 'zone,tick,available' or "
                            + "'zone,tick,available,price', found '" + line + "'");
                }
                withPrice = c.length == 4;
                continue;
            }
            if (c.length != (withPrice ? 4 : 3)) {
                throw SpotkeeperException.malformedFile(file, i + 1, "wrong columns: expected " + (withPrice ? 4 : 3)
                        + " cells, found " + c.length);
            }
            Series s = zones.computeIfAbsent(c[0].strip(), k -> new Series());
            int tick = integer(file, i + 1, "tick", c[1]);
            if (tick != s.available.size()) {
                throw SpotkeeperException.malformedFile(file, i + 1, "unaligned ticks: zone " + c[0].strip() + " expected tick "
                        + s.available.size() + " next, found " + tick);
            }
            String a = c[2].strip();
            if (!a.equals("0") && !a.equals("1")) {
                throw SpotkeeperException.malformedFile(file, i + 1, "available must be 1 (available) or 0, found '" + a + "'");
            }
            s.available.add(a.equals("1"));
            s.prices.add(withPrice ? decimal(file, i + 1, "price", c[3]) : settings.getOrDefault("spot-price", Double.NaN));
        }
        if (headerLine == 0 || zones.isEmpty()) {
            throw SpotkeeperException.malformedFile(file, 0, "no rows: expected a 'zone,tick,available[,price]' header and rows");
        }
        Double gap = settings.get("gap-seconds");
        Double onDemand = settings.get("on-demand-price");
        if (gap == null || onDemand == null) {
            throw SpotkeeperException.malformedFile(file, 0, "missing '# gap-seconds: N' or '# on-demand-price: P' line");
        }
        if (!withPrice && !settings.containsKey("spot-price")) {
            throw SpotkeeperException.malformedFile(file, headerLine, "no price column and no '# spot-price: P' line");
        }
        List<String> names = new ArrayList<>(zones.keySet());
        List<String> regions = names.stream().map(Trace::regionOf).toList();
        boolean[][] available = new boolean[names.size()][];
        double[][] prices = new double[names.size()][];
        for (int z = 0; z < names.size(); z++) {
            Series s = zones.get(names.get(z));
            available[z] = new boolean[s.available.size()];
            prices[z] = new double[s.prices.size()];
            for (int t = 0; t < available[z].length; t++) {
                available[z][t] = s.available.get(t);
                prices[z][t] = s.prices.get(t);
            }
        }
        return new Trace(file, names, regions, gap, available, prices, onDemand);
    }

    private static void setting(String file, int line, String text, Map<String, Double> settings) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            return;
        }
        String key = text.substring(0, colon).strip();
        List<String> valid = List.of("gap-seconds", "on-demand-price", "spot-price");
        if (!valid.contains(key)) {
            throw SpotkeeperException.malformedFile(file, line, "unknown setting '" + key + "'"
                    + dev.spotkeeper.core.Names.didYouMean(key, valid) + "; valid: " + String.join(", ", valid));
        }
        settings.put(key, decimal(file, line, key, text.substring(colon + 1)));
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
