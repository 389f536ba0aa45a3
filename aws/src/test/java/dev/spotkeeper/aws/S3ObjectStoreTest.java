package dev.spotkeeper.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import dev.spotkeeper.core.checkpoint.StoredObject;
import dev.spotkeeper.emulator.services.S3Component;
import dev.spotkeeper.emulator.services.ServicesOptions;
import dev.spotkeeper.testkit.cloud.ObjectStoreContract;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** The one object store ({@code S3ObjectStore}) through {@link AwsPorts} against the emulator's S3 (S3Proxy behind the edge). */
class S3ObjectStoreTest extends ObjectStoreContract {
    private static final String BUCKET = "checkpoints-test";
    private static EmulatedAws aws;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        aws = EmulatedAws.start(64, new S3Component(ServicesOptions.defaults().withPersistentS3(false)));
        s3 = S3Client.builder().endpointOverride(aws.emulator.endpoint()).region(Region.of(EmulatedAws.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        aws.emulator.credentials().accessKeyId(), aws.emulator.credentials().secretAccessKey())))
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create()).build();
        aws.ports.ensureBucket(BUCKET);
    }

    @AfterAll
    static void stop() {
        s3.close();
        aws.close();
    }

    /** A fresh prefix in the shared bucket: the store's keys are relative to it. */
    @Override
    protected ObjectStore newStore() {
        return aws.ports.objectStore(BUCKET, "run-" + UUID.randomUUID().toString().substring(0, 8) + "/");
    }

    @Test
    void ensureBucket_makesAPrivateEncryptedBucket_andIsSafeToRepeat() {
        String bucket = "private-" + UUID.randomUUID().toString().substring(0, 8);

        BucketSetup first = aws.ports.ensureBucket(bucket);
        BucketSetup again = aws.ports.ensureBucket(bucket);

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(s3.getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration().restrictPublicBuckets()).isTrue();
        assertThat(s3.getBucketEncryption(r -> r.bucket(bucket)).serverSideEncryptionConfiguration().rules())
                .singleElement().satisfies(rule -> assertThat(rule.applyServerSideEncryptionByDefault().sseAlgorithm())
                        .isEqualTo(ServerSideEncryption.AES256));
        assertThat(s3.listBuckets().buckets()).anyMatch(b -> b.name().equals(bucket));
    }

    @Test
    void objectStore_keysAreRelativeToItsPrefix() {
        String prefix = "p-" + UUID.randomUUID().toString().substring(0, 8) + "/";
        aws.ports.objectStore(BUCKET, prefix).putBytes("a/b", new byte[] {7});

        assertThat(s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(prefix + "a/b")).asByteArray()).containsExactly(7);
        assertThat(aws.ports.objectStore(BUCKET, prefix).list("")).extracting(StoredObject::key)
                .containsExactly("a/b");
    }

    @Test
    void put_intoABucketThatDoesNotExist_saysToCreateIt() {
        ObjectStore missing = aws.ports.objectStore("no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8), "");

        assertThatThrownBy(() -> missing.putBytes("k", new byte[1])).isInstanceOfSatisfying(SpotkeeperException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("NoSuchBucket").contains("create the bucket");
                });
    }
}
