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
 *
 * <p>Version 2 (written now) lists each file's extents: byte ranges of chunk and pack objects. Version 1 manifests
 * (no {@code version} field: one object per file, large files as multipart objects with per-part digests) are still
 * read, as extents of those objects, so checkpoints written before the change restore.
 */
public record Manifest(String workload, String id, long sequence, Instant createdAt, String instanceId,
                       List<ManifestFile> files) {
    public static final String FILE_NAME = "manifest.json";
    public static final int VERSION = 2;
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
        root.put("version", (long) VERSION);
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
            List<Object> extents = new ArrayList<>();
            for (ManifestFile.Extent e : f.extents()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("key", e.key());
                x.put("offset", e.offset());
                x.put("length", e.length());
                x.put("sha256", e.sha256());
                extents.add(x);
            }
            m.put("extents", extents);
            list.add(m);
        }
        root.put("files", list);
        return Json.write(root);
    }

    /** Reads a manifest; a damaged one is a {@code MALFORMED_FILE} error naming {@code name} and the problem. */
    public static Manifest parse(String name, String text) {
        try {
            Map<String, Object> root = Json.parseObject(text);
            long version = root.containsKey("version") ? number(name, root, "version") : 1;
            if (version != 1 && version != VERSION) {
                throw SpotkeeperException.malformedFile(name, 0, "manifest version " + version
                        + " is not supported (this version reads 1 and " + VERSION + "); restore it with a newer spotkeeper");
            }
            List<ManifestFile> files = new ArrayList<>();
            if (!(root.get("files") instanceof List<?> list)) {
                throw SpotkeeperException.malformedFile(name, 0, "\"files\" must be an array");
            }
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> f)) {
                    throw SpotkeeperException.malformedFile(name, 0, "every entry of \"files\" must be an object");
                }
                files.add(version == 1 ? fileVersion1(name, f) : file(name, f));
            }
            return new Manifest(text(name, root, "workload"), text(name, root, "id"), number(name, root, "sequence"),
                    Instant.parse(text(name, root, "createdAt")), text(name, root, "instanceId"), files);
        } catch (JsonException e) {
            throw SpotkeeperException.malformedFile(name, e.line(), "not valid JSON: " + e.getMessage());
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw SpotkeeperException.malformedFile(name, 0, e.getMessage());
        }
    }

    private static ManifestFile file(String name, Map<?, ?> f) {
        if (!(f.get("extents") instanceof List<?> list)) {
            throw SpotkeeperException.malformedFile(name, 0, "\"extents\" must be an array");
        }
        List<ManifestFile.Extent> extents = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> x)) {
                throw SpotkeeperException.malformedFile(name, 0, "every entry of \"extents\" must be an object");
            }
            extents.add(new ManifestFile.Extent(text(name, x, "key"), number(name, x, "offset"), number(name, x, "length"),
                    text(name, x, "sha256")));
        }
        return new ManifestFile(text(name, f, "path"), number(name, f, "size"), text(name, f, "sha256"), extents);
    }

    /** Version 1: one object per file; a multipart one lists the digest of every part of {@code partSize} bytes. */
    private static ManifestFile fileVersion1(String name, Map<?, ?> f) {
        String path = text(name, f, "path");
        long size = number(name, f, "size");
        String sha256 = text(name, f, "sha256");
        String key = text(name, f, "key");
        if (!(f.get("parts") instanceof List<?> parts) || parts.isEmpty()) {
            return ManifestFile.single(path, size, sha256, key, 0);
        }
        long partSize = number(name, f, "partSize");
        if (partSize <= 0 || parts.size() != (size + partSize - 1) / partSize) {
            throw SpotkeeperException.malformedFile(name, 0, path + ": " + parts.size() + " part digests for " + size
                    + " bytes in parts of " + partSize);
        }
        List<ManifestFile.Extent> extents = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            long offset = i * partSize;
            extents.add(new ManifestFile.Extent(key, offset, Math.min(partSize, size - offset), String.valueOf(parts.get(i))));
        }
        return new ManifestFile(path, size, sha256, extents);
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
