package dev.spotkeeper.core.checkpoint;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.json.JsonException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code manifest.json} of a checkpoint, written last: a checkpoint without one is incomplete. The layout is
 * fixed by docs/job-runtime.md: {@code <prefix>/<workload>/<id>/manifest.json}, id {@code ckpt-<10-digit sequence>-<instance id>}.
 */
public record Manifest(String workload, String id, long sequence, Instant createdAt, String instanceId,
                       List<ManifestFile> files) {
    public static final String FILE_NAME = "manifest.json";
    private static final Pattern ID = Pattern.compile("ckpt-(\\d{10})-(.+)");

    public Manifest {
        requireNonNull(workload, "workload is null");
        requireNonNull(id, "id is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(instanceId, "instanceId is null");
        files = List.copyOf(requireNonNull(files, "files is null"));
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
        }
    }

    /** {@code ckpt-0000000042-i-0abc}: ids sort by sequence as strings too. */
    public static String checkpointId(long sequence, String instanceId) {
        return String.format(Locale.ROOT, "ckpt-%010d-%s", sequence, instanceId);
    }

    /** The sequence of a checkpoint id, empty when the name is not a checkpoint id. */
    public static Optional<Long> sequenceOf(String checkpointId) {
        Matcher m = ID.matcher(checkpointId);
        return m.matches() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    public long totalBytes() {
        return files.stream().mapToLong(ManifestFile::size).sum();
    }

    public Optional<ManifestFile> file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }

    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("workload", workload);
        root.put("id", id);
        root.put("sequence", sequence);
        root.put("createdAt", createdAt.toString());
        root.put("instanceId", instanceId);
        List<Object> list = new ArrayList<>();
        for (ManifestFile f : files) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", f.path());
            m.put("size", f.size());
            m.put("sha256", f.sha256());
            m.put("key", f.key());
            if (f.partSize() > 0) {
                m.put("partSize", f.partSize());
                m.put("parts", f.parts());
            }
            list.add(m);
        }
        root.put("files", list);
        return Json.write(root);
    }

    /** Reads a manifest; a damaged one is a {@code MALFORMED_FILE} error naming {@code name} and the problem. */
    public static Manifest parse(String name, String text) {
        try {
            Map<String, Object> root = Json.parseObject(text);
            List<ManifestFile> files = new ArrayList<>();
            if (!(root.get("files") instanceof List<?> list)) {
                throw SpotkeeperException.malformedFile(name, 0, "\"files\" must be an array");
            }
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> f)) {
                    throw SpotkeeperException.malformedFile(name, 0, "every entry of \"files\" must be an object");
                }
                List<String> parts = new ArrayList<>();
                if (f.get("parts") instanceof List<?> p) {
                    p.forEach(x -> parts.add(String.valueOf(x)));
                }
                long partSize = f.get("partSize") instanceof Number n ? n.longValue() : 0;
                files.add(new ManifestFile(text(name, f, "path"), number(name, f, "size"), text(name, f, "sha256"),
                        text(name, f, "key"), partSize, parts));
            }
            return new Manifest(text(name, root, "workload"), text(name, root, "id"), number(name, root, "sequence"),
                    Instant.parse(text(name, root, "createdAt")), text(name, root, "instanceId"), files);
        } catch (JsonException e) {
            throw SpotkeeperException.malformedFile(name, e.line(), "not valid JSON: " + e.getMessage());
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw SpotkeeperException.malformedFile(name, 0, e.getMessage());
        }
    }

    private static String text(String name, Map<?, ?> map, String key) {
        if (!(map.get(key) instanceof String s)) {
            throw SpotkeeperException.malformedFile(name, 0, "\"" + key + "\" must be a string");
        }
        return s;
    }

    private static long number(String name, Map<?, ?> map, String key) {
        if (!(map.get(key) instanceof Long n)) {
            throw SpotkeeperException.malformedFile(name, 0, "\"" + key + "\" must be a whole number");
        }
        return n;
    }
}
