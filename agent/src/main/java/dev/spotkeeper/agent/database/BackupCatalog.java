package dev.spotkeeper.agent.database;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a database's backup holds in S3, written last (after every object it names), so a reader never sees an
 * entry whose object is not complete: the base backups, each with the GTID position it holds, and the shipped
 * binary-log segments, each with its GTID range (after {@code start}, up to and with {@code end}) and SHA-256.
 */
record BackupCatalog(List<Base> bases, List<Segment> segments) {
    static final String KEY = "catalog.json";
    static final int VERSION = 1;

    /** A physical base backup ({@code mariadb-backup --stream=xbstream}). */
    record Base(String key, String sha256, long size, String gtid, int generation, Instant time) {
        long sequence() {
            return Gtids.sequence(gtid);
        }
    }

    /** One closed binary-log file of the server of {@code generation}. */
    record Segment(String key, String file, String sha256, long size, String start, String end, int generation,
                   Instant time) {
        long startSequence() {
            return Gtids.sequence(start);
        }

        long endSequence() {
            return Gtids.sequence(end);
        }
    }

    BackupCatalog {
        bases = List.copyOf(bases);
        segments = List.copyOf(segments);
    }

    static BackupCatalog empty() {
        return new BackupCatalog(List.of(), List.of());
    }

    BackupCatalog withBase(Base b) {
        List<Base> all = new ArrayList<>(bases);
        all.add(requireNonNull(b));
        return new BackupCatalog(all, segments);
    }

    BackupCatalog withSegment(Segment s) {
        List<Segment> all = new ArrayList<>(segments);
        all.add(requireNonNull(s));
        return new BackupCatalog(bases, all);
    }

    /** Newest first: the most data first. */
    List<Base> basesNewestFirst() {
        List<Base> sorted = new ArrayList<>(bases);
        sorted.sort(Comparator.comparingLong(Base::sequence).thenComparing(Base::time).reversed());
        return sorted;
    }

    /** The newest GTID position the catalog holds (a base's or a segment's end). */
    String newestPosition() {
        String best = "";
        for (Base b : bases) {
            best = Gtids.sequence(b.gtid()) > Gtids.sequence(best) ? b.gtid() : best;
        }
        for (Segment s : segments) {
            best = s.endSequence() > Gtids.sequence(best) ? s.end() : best;
        }
        return best;
    }

    String write() {
        List<Object> b = new ArrayList<>();
        for (Base x : bases) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", x.key());
            m.put("sha256", x.sha256());
            m.put("size", x.size());
            m.put("gtid", x.gtid());
            m.put("generation", x.generation());
            m.put("time", x.time().toString());
            b.add(m);
        }
        List<Object> s = new ArrayList<>();
        for (Segment x : segments) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", x.key());
            m.put("file", x.file());
            m.put("sha256", x.sha256());
            m.put("size", x.size());
            m.put("start", x.start());
            m.put("end", x.end());
            m.put("generation", x.generation());
            m.put("time", x.time().toString());
            s.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", VERSION);
        root.put("bases", b);
        root.put("segments", s);
        return Json.write(root);
    }

    static BackupCatalog read(String source, String text) {
        try {
            Map<String, Object> root = Json.parseObject(text);
            long version = ((Number) root.get("version")).longValue();
            if (version > VERSION) {
                throw SpotkeeperException.malformedFile(source, 0, "is a backup catalog of version " + version
                        + ", newer than this agent reads (" + VERSION + "); upgrade the agent");
            }
            List<Base> bases = new ArrayList<>();
            for (Object o : (List<?>) root.get("bases")) {
                Map<?, ?> m = (Map<?, ?>) o;
                bases.add(new Base((String) m.get("key"), (String) m.get("sha256"), ((Number) m.get("size")).longValue(),
                        (String) m.get("gtid"), ((Number) m.get("generation")).intValue(),
                        Instant.parse((String) m.get("time"))));
            }
            List<Segment> segments = new ArrayList<>();
            for (Object o : (List<?>) root.get("segments")) {
                Map<?, ?> m = (Map<?, ?>) o;
                segments.add(new Segment((String) m.get("key"), (String) m.get("file"), (String) m.get("sha256"),
                        ((Number) m.get("size")).longValue(), (String) m.get("start"), (String) m.get("end"),
                        ((Number) m.get("generation")).intValue(), Instant.parse((String) m.get("time"))));
            }
            return new BackupCatalog(bases, segments);
        } catch (SpotkeeperException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SpotkeeperException.malformedFile(source, 0, "is not a backup catalog: " + e.getMessage());
        }
    }
}
