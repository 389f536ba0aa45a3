package dev.spotkeeper.aws;

import static java.util.Objects.requireNonNull;

/**
 * What setting up a bucket did. The bucket is private (public access blocked) and encrypted (SSE-S3) either way.
 *
 * @param created false when the bucket existed already (it then got the same settings again)
 */
public record BucketSetup(String bucket, boolean created) {
    public BucketSetup {
        requireNonNull(bucket, "bucket is null");
    }
}
