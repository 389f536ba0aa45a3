package dev.spotkeeper.core.signals;

import dev.spotkeeper.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The placement-score cache on disk, so that two {@code signals refresh} runs minutes apart (two processes)
 * share it. It is only a cache: a file that cannot be read counts as empty, and it is replaced atomically.
 */
final class ScoreCacheFile {
    private ScoreCacheFile() {
    }

    static Map<PlacementScoreRequest, CachedScores> load(Path file) {
        Map<PlacementScoreRequest, CachedScores> entries = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return entries;
        }
        try {
            Object root = Json.parseObject(Files.readString(file, StandardCharsets.UTF_8)).get("entries");
            if (root instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> m) {
                        read(m, entries);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // A damaged cache must never stop a refresh; the scores are simply asked for again.
            return new HashMap<>();
        }
        return entries;
    }

    private static void read(Map<?, ?> m, Map<PlacementScoreRequest, CachedScores> into) {
        PlacementScoreRequest request = new PlacementScoreRequest(strings(m.get("instanceTypes")),
                strings(m.get("regions")), ((Number) m.get("targetCapacity")).intValue(),
                Boolean.TRUE.equals(m.get("singleAvailabilityZone")));
        List<PlacementScore> scores = new ArrayList<>();
        for (Object s : (List<?>) m.get("scores")) {
            Map<?, ?> sm = (Map<?, ?>) s;
            scores.add(new PlacementScore((String) sm.get("region"), (String) sm.get("azId"),
                    ((Number) sm.get("score")).intValue()));
        }
        into.put(request, new CachedScores(scores, Instant.parse((String) m.get("fetched"))));
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        for (Object v : (List<?>) o) {
            out.add((String) v);
        }
        return out;
    }

    static void save(Path file, Map<PlacementScoreRequest, CachedScores> entries) throws IOException {
        List<Object> list = new ArrayList<>();
        for (Map.Entry<PlacementScoreRequest, CachedScores> e : entries.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("instanceTypes", e.getKey().instanceTypes());
            m.put("regions", e.getKey().regions());
            m.put("targetCapacity", e.getKey().targetCapacity());
            m.put("singleAvailabilityZone", e.getKey().singleAvailabilityZone());
            m.put("fetched", e.getValue().fetched().toString());
            List<Object> scores = new ArrayList<>();
            for (PlacementScore s : e.getValue().scores()) {
                scores.add(Map.of("region", s.region(), "azId", s.azId(), "score", s.score()));
            }
            m.put("scores", scores);
            list.add(m);
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "placement-scores", ".json.tmp");
        try {
            Files.writeString(tmp, Json.write(Map.of("entries", list)), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
