package dev.spotkeeper.agent.s3;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import dev.spotkeeper.core.checkpoint.StoredObject;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link ObjectStore} on one S3 bucket through the AWS SDK's synchronous client (callers bring the threads). */
public final class S3ObjectStore implements ObjectStore {
    private final S3Client s3;
    private final String bucket;

    public S3ObjectStore(S3Client s3, String bucket) {
        this.s3 = requireNonNull(s3, "s3 is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public void putFile(String key, Path file) {
        call("upload " + key, () -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file)));
    }

    @Override
    public void putBytes(String key, byte[] data) {
        call("upload " + key, () -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(data)));
    }

    @Override
    public Optional<byte[]> getBytes(String key) {
        return call("download " + key, () -> {
            try {
                return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
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
        return call("download " + key, () -> {
            try {
                return Optional.of(s3.getObject(b -> b.bucket(bucket).key(key).range(range)));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public Optional<Long> size(String key) {
        return call("look up " + key, () -> {
            try {
                return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)).contentLength());
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public List<String> listChildren(String prefix) {
        return call("list " + prefix, () -> {
            List<String> names = new ArrayList<>();
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).delimiter("/"))) {
                for (CommonPrefix p : page.commonPrefixes()) {
                    String name = p.prefix().substring(prefix.length());
                    names.add(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
                }
            }
            return names;
        });
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return call("list " + prefix, () -> {
            List<StoredObject> objects = new ArrayList<>();
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))) {
                for (S3Object o : page.contents()) {
                    objects.add(new StoredObject(o.key(), o.size()));
                }
            }
            return objects;
        });
    }

    private <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (SdkClientException e) {
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "could not " + what + " in s3://" + bucket
                    + ": " + e.getMessage() + " (check AWS_ENDPOINT_URL and the network)", e);
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            ErrorCode ours = switch (code) {
                case "SlowDown", "RequestLimitExceeded", "Throttling" -> ErrorCode.THROTTLED;
                case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "NoSuchBucket" -> ErrorCode.INVALID_ARGUMENT;
                default -> ErrorCode.CLOUD_ERROR;
            };
            throw SpotkeeperException.of(ours, "could not " + what + " in s3://" + bucket + ": " + code + " "
                    + e.getMessage(), e);
        } catch (SdkException e) {
            throw SpotkeeperException.of(ErrorCode.CLOUD_ERROR, "could not " + what + " in s3://" + bucket + ": " + e.getMessage(), e);
        }
    }
}
