package dev.spotkeeper.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.aws.internal.S3ObjectStore;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.ObjectStorePort;
import dev.spotkeeper.emulator.services.S3Component;
import dev.spotkeeper.emulator.services.ServicesOptions;
import dev.spotkeeper.testkit.cloud.ObjectStorePortContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** {@code S3ObjectStore} through {@link AwsPorts} against the emulator's S3 (S3Proxy behind the edge). */
class S3ObjectStoreTest extends ObjectStorePortContract {
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
    protected ObjectStorePort newStore() {
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
        assertThat(aws.ports.objectStore(BUCKET, prefix).list("")).extracting(ObjectStorePort.ObjectInfo::key)
                .containsExactly("a/b");
    }

    @Test
    void put_largeFile_goesUpInParts_andComesBackWhole(@TempDir Path tmp) throws IOException {
        int partSize = 5 * 1024 * 1024;
        byte[] content = new byte[2 * partSize + 1234];
        new Random(7).nextBytes(content);
        Path source = tmp.resolve("big.bin");
        Files.write(source, content);
        String prefix = "mp-" + UUID.randomUUID().toString().substring(0, 8) + "/";
        ObjectStorePort store = new S3ObjectStore(s3, BUCKET, prefix, aws.emulator.endpoint().toString(),
                partSize, partSize);

        store.put("big.bin", source);
        store.get("big.bin", tmp.resolve("back.bin"));

        assertThat(Files.readAllBytes(tmp.resolve("back.bin"))).isEqualTo(content);
        // S3 marks an object assembled from parts with an ETag ending in -<number of parts>.
        assertThat(s3.headObject(r -> r.bucket(BUCKET).key(prefix + "big.bin")).eTag()).endsWith("-3\"");
    }

    @Test
    void put_intoABucketThatDoesNotExist_saysToCreateIt() {
        ObjectStorePort missing = aws.ports.objectStore("no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8), "");

        assertThatThrownBy(() -> missing.putBytes("k", new byte[1])).isInstanceOfSatisfying(SpotkeeperException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("NoSuchBucket").contains("create the bucket");
                });
    }
}
