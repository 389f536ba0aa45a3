package dev.spotkeeper.core.checkpoint;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One file of a checkpoint: its path relative to the checkpoint directory ('/'-separated), size, SHA-256 (hex)
 * and the object key that holds its bytes, which may belong to an earlier checkpoint when the file did not change.
 *
 * @param partSize the part size a large file was uploaded with (0 for a single-part object)
 * @param parts SHA-256 (hex) of each part of {@code partSize} bytes, in order; empty for a single-part object.
 *     They let the next checkpoint re-send only the parts that changed and copy the others inside S3.
 */
public record ManifestFile(String path, long size, String sha256, String key, long partSize, List<String> parts) {
    public ManifestFile {
        requireNonNull(path, "path is null");
        requireNonNull(sha256, "sha256 is null");
        requireNonNull(key, "key is null");
        parts = List.copyOf(requireNonNull(parts, "parts is null"));
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || List.of(path.split("/")).contains("..")) {
            throw new IllegalArgumentException("path must be relative without '..', was '" + path + "'");
        }
        if (partSize < 0 || (partSize == 0) != parts.isEmpty()) {
            throw new IllegalArgumentException("partSize and parts must both be set or both be empty for " + path);
        }
        if (partSize > 0 && parts.size() != (int) ((size + partSize - 1) / partSize)) {
            throw new IllegalArgumentException(path + ": " + parts.size() + " part hashes for " + size + " bytes in parts of " + partSize);
        }
    }

    /** A file stored as one object. */
    public static ManifestFile single(String path, long size, String sha256, String key) {
        return new ManifestFile(path, size, sha256, key, 0, List.of());
    }

    public boolean sameContent(long otherSize, String otherSha256) {
        return size == otherSize && sha256.equals(otherSha256);
    }
}
