package dev.spotkeeper.core.checkpoint;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One file of a checkpoint: its path relative to the checkpoint directory ('/'-separated), size, SHA-256 and the
 * byte ranges of stored objects that hold its bytes, in file order. An extent may belong to an earlier checkpoint
 * when that part of the file did not change.
 *
 * <p>{@code sha256} is the plain SHA-256 (hex) of the file when it has at most one extent; a file in several
 * extents has a composite digest, as S3 has for multipart checksums: the SHA-256 of the concatenated binary extent
 * digests, suffixed with {@code -<number of extents>}. Extents can then be hashed in parallel and each verified on
 * its own while it downloads.
 *
 * @param extents the ranges holding the file's bytes; empty for an empty file
 */
public record ManifestFile(String path, long size, String sha256, List<Extent> extents) {
    /** {@code length} bytes from {@code offset} of object {@code key}, with their SHA-256 (hex). */
    public record Extent(String key, long offset, long length, String sha256) {
        public Extent {
            requireNonNull(key, "key is null");
            requireNonNull(sha256, "sha256 is null");
            if (offset < 0 || length <= 0) {
                throw new IllegalArgumentException("extent of " + key + " needs offset >= 0 and length > 0, was "
                        + offset + "+" + length);
            }
        }

        public long end() {
            return offset + length;
        }
    }

    public ManifestFile {
        requireNonNull(path, "path is null");
        requireNonNull(sha256, "sha256 is null");
        extents = List.copyOf(requireNonNull(extents, "extents is null"));
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || List.of(path.split("/")).contains("..")) {
            throw new IllegalArgumentException("path must be relative without '..', was '" + path + "'");
        }
        long covered = extents.stream().mapToLong(Extent::length).sum();
        if (covered != size) {
            throw new IllegalArgumentException(path + ": its extents hold " + covered + " bytes, its size is " + size);
        }
    }

    /** A file stored as {@code size} bytes of one object from {@code offset} (no extent when it is empty). */
    public static ManifestFile single(String path, long size, String sha256, String key, long offset) {
        return new ManifestFile(path, size, sha256, size == 0 ? List.of() : List.of(new Extent(key, offset, size, sha256)));
    }

    public boolean sameContent(long otherSize, String otherSha256) {
        return size == otherSize && sha256.equals(otherSha256);
    }
}
