package dev.spotkeeper.core.market.io;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.json.JsonException;
import dev.spotkeeper.core.market.Architecture;
import dev.spotkeeper.core.market.InstanceCatalog;
import dev.spotkeeper.core.market.InstanceType;
import dev.spotkeeper.core.market.InterruptionBand;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.Pool;
import dev.spotkeeper.core.market.PoolSignals;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * spotkeeper's own market format, so users can bring their market data, in CSV or JSON. Columns (CSV) or
 * members (JSON, inside {@code {"source":…, "time":…, "pools":[…]}}):
 * <pre>
 * region, az_id, az_name, instance_type, spot_price, on_demand_price, placement_score, interruption_band, time
 * optional: vcpus, memory_gib, gpus, arch (needed only for types spotkeeper does not know)
 * </pre>
 * Either {@code az_id} or {@code az_name} may be empty; {@code on_demand_price}, {@code placement_score} (1–10)
 * and {@code interruption_band} (0–4) may be empty when unknown; {@code time} is ISO-8601 (UTC).
 */
public final class MarketFile {
    public static final List<String> CSV_COLUMNS = List.of("region", "az_id", "az_name", "instance_type",
            "spot_price", "on_demand_price", "placement_score", "interruption_band", "time");

    private MarketFile() {
    }

    /** Reads a market from a file in any format spotkeeper knows: its own CSV or JSON, or a SpotLake CSV. */
    public static MarketSnapshot read(Path path, InstanceCatalog catalog) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw SpotkeeperException.invalidArgument("cannot read market file " + path + ": " + e.getMessage());
        }
        return parse(path.toString(), text, catalog);
    }

    public static MarketSnapshot parse(String file, String text, InstanceCatalog catalog) {
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("{")) {
            return parseJson(file, text, catalog);
        }
        if (trimmed.startsWith(SpotLakeCsv.HEADER_PREFIX)) {
            return SpotLakeCsv.parse(file, text, catalog);
        }
        return parseCsv(file, text, catalog);
    }

    static MarketSnapshot parseCsv(String file, String text, InstanceCatalog catalog) {
        String[] lines = text.split("\r?\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            throw SpotkeeperException.malformedFile(file, 1, "the file is empty; expected the header "
                    + String.join(",", CSV_COLUMNS));
        }
        CsvLines csv = new CsvLines(file, lines[0], CSV_COLUMNS);
        List<PoolSignals> pools = new ArrayList<>();
        Instant newest = Instant.EPOCH;
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            csv.next(i + 1, lines[i]);
            Map<String, String> row = new LinkedHashMap<>();
            for (String c : List.of("region", "az_id", "az_name", "instance_type", "spot_price", "on_demand_price",
                    "placement_score", "interruption_band", "time", "vcpus", "memory_gib", "gpus", "arch")) {
                row.put(c, csv.text(c));
            }
            PoolSignals p;
            try {
                p = fromRow(row, catalog);
            } catch (SpotkeeperException | IllegalArgumentException e) {
                throw csv.error(e.getMessage());
            }
            newest = p.time().isAfter(newest) ? p.time() : newest;
            pools.add(p);
        }
        if (pools.isEmpty()) {
            throw SpotkeeperException.malformedFile(file, 2, "no pools after the header");
        }
        return new MarketSnapshot(file, newest, pools);
    }

    @SuppressWarnings("unchecked")
    static MarketSnapshot parseJson(String file, String text, InstanceCatalog catalog) {
        Map<String, Object> root;
        try {
            root = Json.parseObject(text);
        } catch (JsonException e) {
            throw SpotkeeperException.malformedFile(file, e.line(), "not valid JSON: " + e.getMessage());
        }
        if (!(root.get("pools") instanceof List<?> list)) {
            throw SpotkeeperException.malformedFile(file, 0, "expected a \"pools\" array of pool objects");
        }
        List<PoolSignals> pools = new ArrayList<>();
        Instant newest = Instant.EPOCH;
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw SpotkeeperException.malformedFile(file, 0, "pools[" + i + "] should be an object");
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<String, Object>) m).entrySet()) {
                row.put(snake(e.getKey().toString()), e.getValue() == null ? "" : stringOf(e.getValue()));
            }
            PoolSignals p;
            try {
                p = fromRow(row, catalog);
            } catch (SpotkeeperException | IllegalArgumentException e) {
                throw SpotkeeperException.malformedFile(file, 0, "pools[" + i + "]: " + e.getMessage());
            }
            newest = p.time().isAfter(newest) ? p.time() : newest;
            pools.add(p);
        }
        if (pools.isEmpty()) {
            throw SpotkeeperException.malformedFile(file, 0, "the \"pools\" array is empty");
        }
        Object source = root.get("source");
        Object time = root.get("time");
        Instant snapshotTime = newest;
        if (time != null) {
            try {
                snapshotTime = Instant.parse(time.toString());
            } catch (DateTimeParseException e) {
                throw SpotkeeperException.malformedFile(file, 0, "\"time\" should be ISO-8601 like 2026-01-31T12:00:00Z");
            }
        }
        return new MarketSnapshot(source == null ? file : source.toString(), snapshotTime, pools);
    }

    private static String stringOf(Object v) {
        if (v instanceof Double d && d == Math.rint(d)) {
            return d.toString();
        }
        return v.toString();
    }

    private static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static PoolSignals fromRow(Map<String, String> row, InstanceCatalog catalog) {
        String typeName = need(row, "instance_type");
        InstanceType type = catalog.find(typeName).orElse(null);
        if (type == null) {
            if (blank(row, "vcpus") || blank(row, "memory_gib")) {
                catalog.require(typeName);
            }
            type = new InstanceType(typeName, (int) num(row, "vcpus"), num(row, "memory_gib"),
                    blank(row, "gpus") ? 0 : (int) num(row, "gpus"),
                    blank(row, "arch") ? Architecture.ofInstanceType(typeName) : Architecture.parse(row.get("arch")));
        }
        Pool pool = new Pool(need(row, "region"), row.getOrDefault("az_id", ""), row.getOrDefault("az_name", ""), typeName);
        double onDemand = blank(row, "on_demand_price") ? Double.NaN : num(row, "on_demand_price");
        int sps = blank(row, "placement_score") ? 0 : (int) num(row, "placement_score");
        if (sps < 0 || sps > 10) {
            throw SpotkeeperException.invalidArgument("placement_score must be 1..10 or empty, was " + sps);
        }
        InterruptionBand band = blank(row, "interruption_band") ? null : InterruptionBand.ofIndex((int) num(row, "interruption_band"));
        Instant time;
        try {
            time = Instant.parse(need(row, "time"));
        } catch (DateTimeParseException e) {
            throw SpotkeeperException.invalidArgument("time should be ISO-8601 like 2026-01-31T12:00:00Z but is '" + row.get("time") + "'");
        }
        return new PoolSignals(pool, type, time, num(row, "spot_price"), onDemand, sps,
                sps > 0 ? row.getOrDefault("placement_request", "") : "", band);
    }

    private static boolean blank(Map<String, String> row, String key) {
        String v = row.get(key);
        return v == null || v.isBlank();
    }

    private static String need(Map<String, String> row, String key) {
        if (blank(row, key)) {
            throw SpotkeeperException.invalidArgument(key + " is missing");
        }
        return row.get(key).trim();
    }

    private static double num(Map<String, String> row, String key) {
        String v = need(row, key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw SpotkeeperException.invalidArgument(key + " should be a number but is '" + v + "'");
        }
    }

    /** Writes a market in the JSON form that {@link #parse} reads back. */
    public static String toJson(MarketSnapshot market) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("source", market.source());
        root.put("time", market.time().toString());
        List<Object> pools = new ArrayList<>();
        for (PoolSignals p : market.pools()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("region", p.pool().region());
            m.put("azId", p.pool().azId());
            m.put("azName", p.pool().azName());
            m.put("instanceType", p.pool().instanceType());
            m.put("vcpus", p.type().vcpus());
            m.put("memoryGib", p.type().memoryGib());
            m.put("gpus", p.type().gpus());
            m.put("arch", p.type().architecture().awsName());
            m.put("spotPrice", p.spotPrice());
            m.put("onDemandPrice", Double.isNaN(p.onDemandPrice()) ? null : p.onDemandPrice());
            m.put("placementScore", p.hasPlacementScore() ? p.placementScore() : null);
            m.put("placementRequest", p.placementRequest());
            m.put("interruptionBand", p.band() == null ? null : p.band().index());
            m.put("time", p.time().toString());
            pools.add(m);
        }
        root.put("pools", pools);
        return Json.write(root);
    }

}
