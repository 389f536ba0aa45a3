package dev.spotkeeper.aws.internal;

import dev.spotkeeper.aws.BucketSetup;
import dev.spotkeeper.awsclient.AwsErrorTranslator;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Creates spotkeeper's buckets private: default encryption SSE-S3 and every public-access switch on (S3's
 * "Blocking public access to your Amazon S3 storage"); an existing bucket of ours gets the same settings again.
 */
public final class S3Buckets {
    private S3Buckets() {
    }

    /** Creates the bucket if missing, then (again) default encryption SSE-S3 and a full public access block. */
    public static BucketSetup ensurePrivateBucket(S3Client s3, String bucket, String region, String endpoint) {
        boolean created = create(s3, bucket, region, endpoint);
        call(endpoint, "PutBucketEncryption", bucket, () -> s3.putBucketEncryption(r -> r.bucket(bucket)
                .serverSideEncryptionConfiguration(c -> c.rules(rule -> rule.applyServerSideEncryptionByDefault(
                        d -> d.sseAlgorithm(ServerSideEncryption.AES256))))));
        call(endpoint, "PutPublicAccessBlock", bucket, () -> s3.putPublicAccessBlock(r -> r.bucket(bucket)
                .publicAccessBlockConfiguration(c -> c.blockPublicAcls(true).ignorePublicAcls(true)
                        .blockPublicPolicy(true).restrictPublicBuckets(true))));
        return new BucketSetup(bucket, created);
    }

    private static boolean create(S3Client s3, String bucket, String region, String endpoint) {
        try {
            // us-east-1 is S3's default location and must not be named as a constraint.
            s3.createBucket(r -> {
                r.bucket(bucket);
                if (!region.equals("us-east-1")) {
                    r.createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.fromValue(region)));
                }
            });
            return true;
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            if ("BucketAlreadyOwnedByYou".equals(code)) {
                return false;
            }
            if ("BucketAlreadyExists".equals(code)) {
                throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "the bucket name "
                        + bucket + " is taken by another AWS account (bucket names are global); choose another", e);
            }
            throw translate(endpoint, "CreateBucket", bucket, e);
        } catch (SdkException e) {
            throw translate(endpoint, "CreateBucket", bucket, e);
        }
    }

    private static void call(String endpoint, String action, String bucket, Runnable body) {
        try {
            body.run();
        } catch (SdkException e) {
            throw translate(endpoint, action, bucket, e);
        }
    }

    private static SpotkeeperException translate(String endpoint, String action, String bucket, SdkException e) {
        SpotkeeperException t = AwsErrorTranslator.translate(e, "S3", action, endpoint);
        return SpotkeeperException.of(t.code(), t.getMessage() + " (bucket " + bucket + ")", e);
    }
}
