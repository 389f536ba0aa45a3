package dev.spotkeeper.awsclient;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import dev.spotkeeper.core.checkpoint.StoredObject;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link ObjectStore} on one S3 bucket, optionally under a key prefix ({@code s3://bucket/prefix/}): the port's keys
 * are relative to it. Calls go through the AWS SDK's synchronous client (callers bring the threads); failures are
 * translated by {@link AwsErrorTranslator}, like every other adapter's.
 */
public final class S3ObjectStore implements ObjectStore {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String endpoint;

    /** The whole bucket. */
    public S3ObjectStore(S3Client s3, String bucket) {
        this(s3, bucket, "");
    }

    /** @param prefix prepended to every key, empty or ending in {@code /} (one is added when missing) */
    public S3ObjectStore(S3Client s3, String bucket, String prefix) {
        this.s3 = requireNonNull(s3, "s3 is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        requireNonNull(prefix, "prefix is null");
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        var config = s3.serviceClientConfiguration();
        this.endpoint = config.endpointOverride().map(Object::toString)
                .orElse("https://s3." + config.region().id() + ".amazonaws.com");
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public void putFile(String key, Path file) {
        call("PutObject", key, () -> s3.putObject(b -> b.bucket(bucket).key(prefix + key), RequestBody.fromFile(file)));
    }

    @Override
    public void putBytes(String key, byte[] data) {
        call("PutObject", key, () -> s3.putObject(b -> b.bucket(bucket).key(prefix + key), RequestBody.fromBytes(data)));
    }

    @Override
    public Optional<byte[]> getBytes(String key) {
        return call("GetObject", key, () -> {
            try {
                return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + key)).asByteArray());
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public Optional<InputStream> openRange(String key, long offset, long length) {
        if (length == 0) {
            return size(key).map(s -> InputStream.nullInputStream());
        }
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        return call("GetObject", key, () -> {
            try {
                return Optional.of(s3.getObject(b -> b.bucket(bucket).key(prefix + key).range(range)));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public Optional<Long> size(String key) {
        return call("HeadObject", key, () -> {
            try {
                return Optional.of(s3.headObject(b -> b.bucket(bucket).key(prefix + key)).contentLength());
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            } catch (S3Exception e) {
                // HEAD answers carry no body, so a missing key arrives as a bare 404.
                if (e.statusCode() == 404 && (e.awsErrorDetails() == null
                        || !"NoSuchBucket".equals(e.awsErrorDetails().errorCode()))) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public List<String> listChildren(String keyPrefix) {
        return call("ListObjectsV2", keyPrefix, () -> {
            String full = prefix + keyPrefix;
            List<String> names = new ArrayList<>();
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(full).delimiter("/"))) {
                for (CommonPrefix p : page.commonPrefixes()) {
                    String name = p.prefix().substring(full.length());
                    names.add(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
                }
            }
            return names;
        });
    }

    @Override
    public List<StoredObject> list(String keyPrefix) {
        return call("ListObjectsV2", keyPrefix, () -> {
            List<StoredObject> objects = new ArrayList<>();
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + keyPrefix))) {
                for (S3Object o : page.contents()) {
                    objects.add(new StoredObject(o.key().substring(prefix.length()), o.size()));
                }
            }
            return objects;
        });
    }

    @Override
    public void delete(String key) {
        call("DeleteObject", key, () -> s3.deleteObject(b -> b.bucket(bucket).key(prefix + key)));
    }

    private <T> T call(String action, String key, Supplier<T> body) {
        try {
            return body.get();
        } catch (SdkException e) {
            SpotkeeperException t = AwsErrorTranslator.translate(e, "S3", action, endpoint);
            throw SpotkeeperException.of(t.code(), t.getMessage() + " (s3://" + bucket + "/" + prefix + key + ")", e);
        }
    }
}
