package dev.spotkeeper.agent.database;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an old primary commits when it hands over, in S3 after its last segment and catalog: the final GTID it
 * committed, and each table's rows and {@code CHECKSUM TABLE} at that GTID, which the replacement must match before
 * it serves.
 */
record HandOver(int generation, String finalGtid, Map<String, String> tables, Instant time) {
    HandOver {
        tables = Map.copyOf(new TreeMap<>(tables));
    }

    static String key(int generation) {
        return "handover/g" + generation + ".json";
    }

    String write() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generation", generation);
        m.put("finalGtid", finalGtid);
        m.put("tables", new TreeMap<>(tables));
        m.put("time", time.toString());
        return Json.write(m);
    }

    static HandOver read(String source, String text) {
        try {
            Map<String, Object> m = Json.parseObject(text);
            Map<String, String> tables = new TreeMap<>();
            ((Map<?, ?>) m.get("tables")).forEach((k, v) -> tables.put((String) k, (String) v));
            return new HandOver(((Number) m.get("generation")).intValue(), (String) m.get("finalGtid"), tables,
                    Instant.parse((String) m.get("time")));
        } catch (RuntimeException e) {
            throw SpotkeeperException.malformedFile(source, 0, "is not a hand-over record: " + e.getMessage());
        }
    }

    /** Each base table of the schema: {@code rows checksum}. */
    static Map<String, String> tableSums(MariaDbServer server, String schema) {
        Map<String, String> out = new TreeMap<>();
        List<String> tables = List.of(server.sql("SELECT table_name FROM information_schema.tables WHERE"
                + " table_schema = '" + schema + "' AND table_type = 'BASE TABLE' ORDER BY table_name").split("\n"));
        for (String t : tables) {
            if (t.isBlank()) {
                continue;
            }
            String rows = server.value("SELECT COUNT(*) FROM `" + schema + "`.`" + t + "`");
            String[] checksum = server.value("CHECKSUM TABLE `" + schema + "`.`" + t + "`").split("\t");
            out.put(t, rows + " " + checksum[checksum.length - 1]);
        }
        return out;
    }
}
