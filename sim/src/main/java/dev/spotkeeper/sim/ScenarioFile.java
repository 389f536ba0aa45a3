package dev.spotkeeper.sim;

import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.json.JsonException;
import dev.spotkeeper.sim.trace.BambooTraces;
import dev.spotkeeper.sim.trace.Trace;
import dev.spotkeeper.sim.trace.TraceFile;
import dev.spotkeeper.sim.trace.V100Traces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario files: a small subset of YAML (flat {@code key: value} lines, {@code #} comments, lists inline as
 * {@code [a, b]} or as {@code - item} lines under the key), or the same keys as a JSON object when the file
 * ends in {@code .json}. Errors name the file, the line and the key; unknown keys get a suggestion. See
 * docs/replay.md for the keys.
 */
public final class ScenarioFile {
    static final List<String> KEYS = List.of("name", "trace", "zones", "home-zone", "work-hours", "deadline-hours",
            "restart-overhead-hours", "checkpoint-gb", "window-starts-hours", "windows", "seed", "windows-from-hours",
            "windows-to-hours", "egress-usd-per-gb", "transfer-time", "cross-region-gbps", "same-region-gbps",
            "on-demand-price", "launch-latency-seconds", "hand-over", "spot-price", "gap-seconds");
    private static final List<String> LIST_KEYS = List.of("zones", "window-starts-hours", "on-demand-price");

    private ScenarioFile() {
    }

    /** One value with the line it came from (0 for JSON). */
    record Entry(String key, Object value, int line) {
    }

    public static Scenario read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw SpotkeeperException.malformedFile(path.toString(), 0, "no such scenario file; built-in scenarios are "
                    + String.join(", ", Scenarios.NAMES));
        } catch (IOException e) {
            throw SpotkeeperException.malformedFile(path.toString(), 0, "cannot read: " + e.getMessage());
        }
        String file = path.toString();
        Map<String, Entry> entries = file.toLowerCase(Locale.ROOT).endsWith(".json") ? json(file, text) : yaml(file, text);
        Path dir = path.toAbsolutePath().getParent();
        return build(file, entries, dir);
    }

    static Map<String, Entry> yaml(String file, String text) {
        Map<String, Entry> out = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        String openList = null;
        for (int i = 0; i < lines.length; i++) {
            String line = stripComment(lines[i]);
            if (line.isBlank()) {
                continue;
            }
            String s = line.strip();
            if (s.startsWith("- ") || s.equals("-")) {
                if (openList == null) {
                    throw SpotkeeperException.malformedFile(file, i + 1, "a list item '- ...' must follow a key such as 'zones:'");
                }
                @SuppressWarnings("unchecked")
                List<String> items = (List<String>) out.get(openList).value();
                items.add(unquote(s.substring(1).strip()));
                continue;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                throw SpotkeeperException.malformedFile(file, i + 1, "unexpected indentation; only flat 'key: value' lines and '- item' lists are supported");
            }
            int colon = s.indexOf(':');
            if (colon <= 0) {
                throw SpotkeeperException.malformedFile(file, i + 1, "expected 'key: value', found '" + s + "'");
            }
            String key = s.substring(0, colon).strip();
            String value = s.substring(colon + 1).strip();
            checkKey(file, i + 1, key, out);
            openList = null;
            if (value.isEmpty()) {
                if (!LIST_KEYS.contains(key)) {
                    throw SpotkeeperException.malformedFile(file, i + 1, "key '" + key + "' has no value");
                }
                out.put(key, new Entry(key, new ArrayList<String>(), i + 1));
                openList = key;
            } else if (value.startsWith("[")) {
                if (!value.endsWith("]")) {
                    throw SpotkeeperException.malformedFile(file, i + 1, "key '" + key + "': a list must close with ']' on the same line");
                }
                List<String> items = new ArrayList<>();
                for (String item : value.substring(1, value.length() - 1).split(",")) {
                    if (!item.isBlank()) {
                        items.add(unquote(item.strip()));
                    }
                }
                out.put(key, new Entry(key, items, i + 1));
            } else {
                out.put(key, new Entry(key, unquote(value), i + 1));
            }
        }
        return out;
    }

    static Map<String, Entry> json(String file, String text) {
        Map<String, Object> root;
        try {
            root = Json.parseObject(text);
        } catch (JsonException e) {
            throw SpotkeeperException.malformedFile(file, 0, e.getMessage());
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : root.entrySet()) {
            checkKey(file, 0, e.getKey(), out);
            Object v = e.getValue();
            if (v instanceof List<?> list) {
                List<String> items = new ArrayList<>();
                for (Object o : list) {
                    items.add(String.valueOf(o));
                }
                v = items;
            } else {
                v = String.valueOf(v);
            }
            out.put(e.getKey(), new Entry(e.getKey(), v, 0));
        }
        return out;
    }

    private static void checkKey(String file, int line, String key, Map<String, Entry> seen) {
        if (!KEYS.contains(key)) {
            throw SpotkeeperException.malformedFile(file, line, "unknown key '" + key + "'" + Names.didYouMean(key, KEYS)
                    + "; valid keys: " + String.join(", ", KEYS));
        }
        if (seen.containsKey(key)) {
            throw SpotkeeperException.malformedFile(file, line, "key '" + key + "' given twice");
        }
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash >= 0 ? line.substring(0, hash) : line;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static Scenario build(String file, Map<String, Entry> e, Path dir) {
        Values v = new Values(file, e);
        double gap = v.number("gap-seconds", 60);
        double spotPrice = v.number("spot-price", 0.918);
        Trace all = onDemandPrices(v, trace(file, v, dir, gap, spotPrice));
        List<String> zones = v.has("zones") ? v.list("zones") : all.zones();
        Trace trace = v.wrap("zones", () -> all.select(zones));
        JobSpec job = v.wrap("deadline-hours", () -> new JobSpec(v.number("work-hours", JobSpec.B2.workHours()),
                v.number("deadline-hours", JobSpec.B2.deadlineHours()),
                v.number("restart-overhead-hours", JobSpec.B2.restartOverheadHours()),
                v.number("checkpoint-gb", JobSpec.B2.checkpointGb())));
        Network network = network(file, v);
        Windows windows = v.wrap("windows", () -> windows(v));
        String name = v.has("name") ? v.text("name") : Path.of(file).getFileName().toString();
        String home = v.has("home-zone") ? v.text("home-zone") : trace.zones().get(0);
        double latency = v.number("launch-latency-seconds", Scenario.DEFAULT_LAUNCH_LATENCY_SECONDS);
        String handOver = v.has("hand-over") ? v.text("hand-over").strip() : "on";
        if (!handOver.equals("on") && !handOver.equals("off")) {
            throw SpotkeeperException.malformedFile(file, v.line("hand-over"), "key 'hand-over' must be on or off, not '"
                    + handOver + "'");
        }
        Scenario scenario = v.wrap("home-zone", () -> new Scenario(name, trace, job, network, windows, home, latency,
                handOver.equals("on")));
        v.wrap(v.has("window-starts-hours") ? "window-starts-hours" : "windows", scenario::model);
        return scenario;
    }

    private static Windows windows(Values v) {
        if (v.has("window-starts-hours")) {
            List<Double> hours = new ArrayList<>();
            for (String s : v.list("window-starts-hours")) {
                hours.add(v.parse("window-starts-hours", s));
            }
            return Windows.at(hours);
        }
        int count = (int) v.number("windows", 20);
        long seed = (long) v.number("seed", 1);
        double from = v.number("windows-from-hours", 0);
        double to = v.has("windows-to-hours") ? v.number("windows-to-hours", 0) : Double.MAX_VALUE;
        return Windows.random(count, seed, from, to);
    }

    /** B2's egress prices (or one price for every pair) and transfer time, as the file sets them. */
    private static Network network(String file, Values v) {
        Network network = v.has("egress-usd-per-gb") ? Network.AWS_B2.withUniformEgress(v.number("egress-usd-per-gb", 0))
                : Network.AWS_B2;
        String transfer = v.has("transfer-time") ? v.text("transfer-time").strip() : "on";
        if (!transfer.equals("on") && !transfer.equals("off")) {
            throw SpotkeeperException.malformedFile(file, v.line("transfer-time"), "key 'transfer-time' must be on or off, "
                    + "not '" + transfer + "'");
        }
        if (transfer.equals("off")) {
            if (v.has("cross-region-gbps") || v.has("same-region-gbps")) {
                throw SpotkeeperException.malformedFile(file, v.line("transfer-time"), "transfer-time is off: leave out "
                        + "cross-region-gbps and same-region-gbps, or turn it on");
            }
            return network.withoutTransferTime();
        }
        double cross = v.number("cross-region-gbps", network.crossRegionGbps());
        double same = v.number("same-region-gbps", network.sameRegionGbps());
        if (!(cross > 0) || !(same > 0)) {
            throw SpotkeeperException.malformedFile(file, v.line(cross > 0 ? "same-region-gbps" : "cross-region-gbps"),
                    "a throughput must be > 0 Gbit/s");
        }
        return network.withTransfer(cross, same);
    }

    /** {@code on-demand-price: 3.06} for every zone, or {@code [us-east-1=3.06, us-west-2a=3.3]} per region or zone. */
    private static Trace onDemandPrices(Values v, Trace trace) {
        if (!v.has("on-demand-price")) {
            return trace;
        }
        Map<String, Double> prices = new LinkedHashMap<>();
        List<String> items = v.list("on-demand-price");
        if (items.size() == 1 && items.get(0).strip().matches("[0-9.eE+-]+")) {
            double p = positive(v, v.parse("on-demand-price", items.get(0)));
            for (String z : trace.zones()) {
                prices.put(z, p);
            }
        } else {
            for (String item : items) {
                int eq = item.indexOf('=');
                if (eq <= 0) {
                    throw SpotkeeperException.malformedFile(v.file(), v.line("on-demand-price"), "key 'on-demand-price': '"
                            + item + "' should be REGION=PRICE or ZONE=PRICE, e.g. us-west-2=3.06");
                }
                prices.put(item.substring(0, eq).strip(), positive(v, v.parse("on-demand-price", item.substring(eq + 1))));
            }
        }
        return v.wrap("on-demand-price", () -> trace.withOnDemandPrices(prices));
    }

    private static double positive(Values v, double price) {
        if (!(price > 0)) {
            throw SpotkeeperException.malformedFile(v.file(), v.line("on-demand-price"), "key 'on-demand-price': a price "
                    + "must be > 0, got " + price);
        }
        return price;
    }

    private static Trace trace(String file, Values v, Path dir, double gap, double spotPrice) {
        String trace = v.has("trace") ? v.text("trace") : "v100";
        switch (trace) {
            case "v100":
                return V100Traces.shipped();
            case "bamboo-p3":
            case "bamboo-g4dn":
                return BambooTraces.shipped(trace.substring("bamboo-".length()), gap, spotPrice, V100Traces.ON_DEMAND_PRICE);
            default:
                if (!trace.contains(".")) {
                    throw SpotkeeperException.malformedFile(file, v.line("trace"), "key 'trace': '" + trace
                            + "' is neither a shipped trace (v100, bamboo-p3, bamboo-g4dn)"
                            + Names.didYouMean(trace, List.of("v100", "bamboo-p3", "bamboo-g4dn"))
                            + " nor a .json/.csv trace file");
                }
                return TraceFile.read(dir == null ? Path.of(trace) : dir.resolve(trace));
        }
    }
}
