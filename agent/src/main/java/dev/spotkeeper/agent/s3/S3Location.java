package dev.spotkeeper.agent.s3;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.SpotkeeperException;

/** {@code s3://bucket/prefix}: the prefix is empty or ends with '/'. */
public record S3Location(String bucket, String prefix) {
    public S3Location {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(prefix, "prefix is null");
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
    }

    public static S3Location parse(String url) {
        if (url == null || !url.startsWith("s3://") || url.length() <= 5) {
            throw SpotkeeperException.invalidArgument("expected an S3 URL like s3://my-bucket/prefix, was '" + url + "'");
        }
        String rest = url.substring(5);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw SpotkeeperException.invalidArgument("the S3 URL '" + url + "' names no bucket");
        }
        return new S3Location(bucket, prefix);
    }

    public S3Location child(String name) {
        return new S3Location(bucket, prefix + name);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }
}
