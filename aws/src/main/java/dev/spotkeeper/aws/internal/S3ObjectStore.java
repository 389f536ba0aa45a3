package dev.spotkeeper.aws.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.ObjectStorePort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@link ObjectStorePort} on one S3 bucket, optionally under a key prefix ({@code s3://bucket/prefix/}); the
 * port's keys are relative to it. Files past 64 MiB go up in parts of 16 MiB.
 */
public final class S3ObjectStore implements ObjectStorePort {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String endpoint;
    private final long multipartThreshold;
    private final int partSize;

    /**
     * @param prefix prepended to every key, empty or ending in {@code /}
     * @param endpoint where calls go, for messages
     */
    public S3ObjectStore(S3Client s3, String bucket, String prefix, String endpoint) {
        this(s3, bucket, prefix, endpoint, S3Multipart.THRESHOLD, S3Multipart.PART_SIZE);
    }

    /** With the multipart limits given: files larger than {@code multipartThreshold} go in parts of {@code partSize}. */
    public S3ObjectStore(S3Client s3, String bucket, String prefix, String endpoint, long multipartThreshold,
                         int partSize) {
        if (partSize < S3Multipart.MIN_PART_SIZE) {
            throw new IllegalArgumentException("S3 parts are at least 5 MiB, except the last; was " + partSize);
        }
        this.multipartThreshold = multipartThreshold;
        this.partSize = partSize;
        this.s3 = requireNonNull(s3, "s3 is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        requireNonNull(prefix, "prefix is null");
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public void put(String key, Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw SpotkeeperException.invalidArgument("cannot read " + file + " to upload it: " + e.getMessage());
        }
        String full = prefix + key;
        call("PutObject", key, () -> {
            if (size > multipartThreshold) {
                new S3Multipart(s3, bucket, partSize).upload(full, file, size);
            } else {
                s3.putObject(r -> r.bucket(bucket).key(full), RequestBody.fromFile(file));
            }
            return null;
        });
    }

    @Override
    public void putBytes(String key, byte[] content) {
        call("PutObject", key, () -> s3.putObject(r -> r.bucket(bucket).key(prefix + key), RequestBody.fromBytes(content)));
    }

    @Override
    public Optional<byte[]> getBytes(String key) {
        return call("GetObject", key, () -> {
            try {
                return Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(prefix + key)).asByteArray());
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
    }

    /** Downloads next to {@code target} and moves it in place, so a failed download leaves no half file. */
    @Override
    public void get(String key, Path target) {
        Path dir = target.toAbsolutePath().getParent();
        Path part;
        try {
            Files.createDirectories(dir);
            part = Files.createTempFile(dir, ".download-", ".part");
            Files.delete(part);
        } catch (IOException e) {
            throw SpotkeeperException.invalidArgument("cannot write into " + dir + ": " + e.getMessage());
        }
        try {
            call("GetObject", key, () -> {
                try {
                    return s3.getObject(r -> r.bucket(bucket).key(prefix + key), part);
                } catch (NoSuchKeyException e) {
                    throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "no object " + location(key), e);
                }
            });
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw SpotkeeperException.invalidArgument("cannot put the download of " + location(key) + " at " + target
                    + ": " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // a leftover .part file is harmless
            }
        }
    }

    @Override
    public List<ObjectInfo> list(String keyPrefix) {
        return call("ListObjectsV2", keyPrefix, () -> {
            List<ObjectInfo> out = new ArrayList<>();
            s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + keyPrefix)).contents()
                    .forEach(o -> out.add(new ObjectInfo(o.key().substring(prefix.length()), o.size())));
            return out;
        });
    }

    @Override
    public void delete(String key) {
        call("DeleteObject", key, () -> s3.deleteObject(r -> r.bucket(bucket).key(prefix + key)));
    }

    private String location(String key) {
        return "s3://" + bucket + "/" + prefix + key;
    }

    private <T> T call(String action, String key, Supplier<T> body) {
        try {
            return body.get();
        } catch (SdkException e) {
            SpotkeeperException t = AwsErrorTranslator.translate(e, "S3", action, endpoint);
            throw SpotkeeperException.of(t.code(), t.getMessage() + " (" + location(key) + ")", e);
        }
    }
}
