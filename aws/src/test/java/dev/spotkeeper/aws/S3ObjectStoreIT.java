package dev.spotkeeper.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spotkeeper.core.checkpoint.ObjectStore;
import dev.spotkeeper.testkit.cloud.ObjectStoreContract;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The object store contract against real S3: run with {@code mvn -pl aws -am verify -Dtest=S3ObjectStoreIT
 * -Dsurefire.failIfNoSpecifiedTests=false} and {@code SPOTKEEPER_IT_BUCKET} naming a bucket name of yours
 * (created private and encrypted when missing, and kept; each test writes under a fresh prefix and the
 * contract deletes what it can). Skipped without credentials or without the variable.
 */
class S3ObjectStoreIT extends ObjectStoreContract {
    private static AwsPorts ports;
    private static String bucket;
    private static BucketSetup setup;
    private static String region;

    @BeforeAll
    static void connect() {
        bucket = System.getenv("SPOTKEEPER_IT_BUCKET");
        assumeTrue(bucket != null && !bucket.isBlank(), "SPOTKEEPER_IT_BUCKET not set: skipped");
        assumeTrue(AwsCredentials.resolve(), "no AWS credentials: skipped");
        region = System.getenv().getOrDefault("AWS_REGION", "us-east-1");
        ports = new AwsPorts(AwsSettings.defaults(), region,
                Clock.systemUTC());
        setup = ports.ensureBucket(bucket);
    }

    @AfterAll
    static void close() {
        if (ports != null) {
            ports.close();
        }
    }

    @Override
    protected ObjectStore newStore() {
        return ports.objectStore(bucket, "spotkeeper-it/" + UUID.randomUUID().toString().substring(0, 8) + "/");
    }

    @Test
    void ensureBucket_onAws_blocksPublicAccessAndEncrypts() {
        try (S3Client s3 = S3Client.builder().region(Region.of(region)).httpClient(UrlConnectionHttpClient.create()).build()) {
            assertThat(s3.getPublicAccessBlock(r -> r.bucket(setup.bucket())).publicAccessBlockConfiguration()
                    .restrictPublicBuckets()).isTrue();
            assertThat(s3.getBucketEncryption(r -> r.bucket(setup.bucket())).serverSideEncryptionConfiguration().rules())
                    .isNotEmpty();
        }
    }
}
