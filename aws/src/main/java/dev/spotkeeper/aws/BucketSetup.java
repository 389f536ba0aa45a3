package dev.spotkeeper.aws;

import static java.util.Objects.requireNonNull;

/**
 * What setting up a bucket did.
 *
 * @param created false when the bucket existed already (it then got the same settings again)
 * @param publicAccessBlocked false only against an endpoint that cannot serve PutPublicAccessBlock (the local
 *     emulator); against AWS the setup fails instead
 */
public record BucketSetup(String bucket, boolean created, boolean encrypted, boolean publicAccessBlocked) {
    public BucketSetup {
        requireNonNull(bucket, "bucket is null");
    }
}
