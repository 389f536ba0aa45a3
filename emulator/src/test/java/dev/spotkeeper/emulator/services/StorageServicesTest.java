package dev.spotkeeper.emulator.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.emulator.Emulator;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

class StorageServicesTest {
    @TempDir
    static Path work;
    static Emulator emulator;
    static S3Component s3;
    static DynamoDbComponent dynamoDb;
    static TestClients clients;

    @BeforeAll
    static void start() throws Exception {
        ServicesOptions options = ServicesOptions.defaults().withRegion(TestClients.REGION);
        s3 = new S3Component(options);
        dynamoDb = new DynamoDbComponent();
        emulator = Emulator.start(0, Clock.systemUTC(), 7, 1.0, work,
                List.of(s3, new SqsComponent(options), dynamoDb));
        clients = new TestClients(emulator.endpoint());
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void s3_privateEncryptedBucket_putGetListDeleteThroughEdge() {
        try (S3Client s3Client = clients.s3()) {
            s3Client.createBucket(b -> b.bucket("checkpoints").acl(BucketCannedACL.PRIVATE));
            s3Client.putBucketEncryption(b -> b.bucket("checkpoints").serverSideEncryptionConfiguration(c -> c.rules(
                    r -> r.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)))));
            assertThat(s3Client.getBucketEncryption(b -> b.bucket("checkpoints")).serverSideEncryptionConfiguration()
                    .rules().get(0).applyServerSideEncryptionByDefault().sseAlgorithm())
                    .isEqualTo(ServerSideEncryption.AES256);
            assertThatThrownBy(() -> s3Client.getPublicAccessBlock(b -> b.bucket("checkpoints")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
            s3Client.putPublicAccessBlock(b -> b.bucket("checkpoints").publicAccessBlockConfiguration(c -> c
                    .blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(true).restrictPublicBuckets(true)));
            assertThat(s3Client.getPublicAccessBlock(b -> b.bucket("checkpoints")).publicAccessBlockConfiguration()
                    .blockPublicAcls()).isTrue();

            s3Client.putObject(b -> b.bucket("checkpoints").key("job/1/manifest.json"),
                    RequestBody.fromString("{\"step\":41}"));
            s3Client.putObject(b -> b.bucket("checkpoints").key("job/1/state.bin"), RequestBody.fromBytes(new byte[70_000]));

            assertThat(s3Client.getObjectAsBytes(b -> b.bucket("checkpoints").key("job/1/manifest.json")).asUtf8String())
                    .isEqualTo("{\"step\":41}");
            assertThat(s3Client.headObject(b -> b.bucket("checkpoints").key("job/1/state.bin")).contentLength())
                    .isEqualTo(70_000L);
            assertThat(s3Client.listObjectsV2(b -> b.bucket("checkpoints").prefix("job/1/")).contents())
                    .extracting(S3Object::key).containsExactly("job/1/manifest.json", "job/1/state.bin");

            s3Client.deleteObject(b -> b.bucket("checkpoints").key("job/1/manifest.json"));
            assertThatThrownBy(() -> s3Client.getObjectAsBytes(b -> b.bucket("checkpoints").key("job/1/manifest.json")))
                    .isInstanceOf(NoSuchKeyException.class);
        }
    }

    @Test
    void s3_listingsHoldTheObjectsOnly_asOnAws_notTheDirectoriesTheyAreStoredIn() {
        try (S3Client s3Client = clients.s3()) {
            s3Client.createBucket(b -> b.bucket("listings"));
            s3Client.putObject(b -> b.bucket("listings").key("dir/sub/a.txt"), RequestBody.fromString("hello"));
            s3Client.putObject(b -> b.bucket("listings").key("dir/b.bin"), RequestBody.fromString("xx"));
            s3Client.putObject(b -> b.bucket("listings").key("marker/"), RequestBody.empty());

            var v2 = s3Client.listObjectsV2(b -> b.bucket("listings"));
            assertThat(v2.contents()).extracting(S3Object::key, S3Object::size).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("dir/b.bin", 2L), org.assertj.core.groups.Tuple.tuple("dir/sub/a.txt", 5L),
                    org.assertj.core.groups.Tuple.tuple("marker/", 0L));
            assertThat(v2.keyCount()).isEqualTo(3);
            assertThat(s3Client.listObjects(b -> b.bucket("listings").prefix("dir/")).contents())
                    .extracting(S3Object::key).containsExactly("dir/b.bin", "dir/sub/a.txt");
            assertThat(s3Client.listObjectsV2Paginator(b -> b.bucket("listings").maxKeys(1)).contents().stream()
                    .map(S3Object::key).toList()).containsExactly("dir/b.bin", "dir/sub/a.txt", "marker/");
            var delimited = s3Client.listObjectsV2(b -> b.bucket("listings").delimiter("/").prefix("dir/"));
            assertThat(delimited.contents()).extracting(S3Object::key).containsExactly("dir/b.bin");
            assertThat(delimited.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("dir/sub/");
            assertThat(delimited.keyCount()).isEqualTo(2);
        }
    }

    @Test
    void s3_anObjectStoredWithoutAContentType_isBinaryOctetStream_asOnAws() throws Exception {
        try (S3Client s3Client = clients.s3()) {
            s3Client.createBucket(b -> b.bucket("types"));
            s3Client.putObject(b -> b.bucket("types").key("typed.txt").contentType("text/plain"), RequestBody.fromString("t"));
        }
        // The SDK for Java always sends a type; curl-like clients (and boto3) send none.
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> put = http.send(java.net.http.HttpRequest.newBuilder(
                emulator.endpoint().resolve("/types/untyped.bin")).header("Authorization", TestClients.AUTHORIZATION)
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("bytes")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);
        try (S3Client s3Client = clients.s3()) {
            assertThat(s3Client.headObject(b -> b.bucket("types").key("untyped.bin")).contentType())
                    .isEqualTo("binary/octet-stream");
            assertThat(s3Client.getObject(b -> b.bucket("types").key("untyped.bin")).response().contentType())
                    .isEqualTo("binary/octet-stream");
            assertThat(s3Client.headObject(b -> b.bucket("types").key("typed.txt")).contentType()).isEqualTo("text/plain");
        }
    }

    @Test
    void sqs_sendReceiveDelete_queueUrlPointsAtEdge() {
        try (SqsClient sqs = clients.sqs()) {
            String url = sqs.createQueue(b -> b.queueName("work-items")).queueUrl();
            assertThat(URI.create(url).getPort()).isEqualTo(emulator.endpoint().getPort());

            sqs.sendMessage(b -> b.queueUrl(url).messageBody("hello"));
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(2)).messages();
            assertThat(messages).extracting(Message::body).containsExactly("hello");
            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(messages.get(0).receiptHandle()));
            assertThat(sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(0)).messages()).isEmpty();
        }
    }

    @Test
    void dynamoDb_putGetAndConditionalPutFailure() {
        try (DynamoDbClient db = clients.dynamoDb()) {
            db.createTable(b -> b.tableName("workloads").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("id")
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
            Map<String, AttributeValue> item = Map.of("id", AttributeValue.fromS("w-1"), "state", AttributeValue.fromS("RUNNING"));
            db.putItem(b -> b.tableName("workloads").item(item).conditionExpression("attribute_not_exists(id)"));

            assertThat(db.getItem(b -> b.tableName("workloads").key(Map.of("id", AttributeValue.fromS("w-1")))).item())
                    .containsEntry("state", AttributeValue.fromS("RUNNING"));
            assertThatThrownBy(() -> db.putItem(b -> b.tableName("workloads").item(item)
                    .conditionExpression("attribute_not_exists(id)")))
                    .isInstanceOf(ConditionalCheckFailedException.class);
        }
    }

    @Test
    void s3ProxyAndDynamoDbLocal_runSideBySideDespiteJettyClash() throws Exception {
        // S3Proxy (Jetty 11) lives in this JVM, DynamoDB Local (Jetty 12) in a child JVM; both answer.
        assertThat(s3.directEndpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(dynamoDb.directEndpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(dynamoDb.directEndpoint().getPort()).isNotEqualTo(s3.directEndpoint().getPort());
        try (S3Client s3Client = clients.s3(); DynamoDbClient db = clients.dynamoDb()) {
            s3Client.createBucket(b -> b.bucket("side-by-side"));
            db.createTable(b -> b.tableName("side-by-side").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("k")
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("k").keyType(KeyType.HASH).build()));
            assertThat(s3Client.listBuckets().buckets()).anyMatch(b -> b.name().equals("side-by-side"));
            assertThat(db.listTables().tableNames()).contains("side-by-side");
        }
        assertThat(emulator.describe()).anyMatch(l -> l.startsWith("DynamoDB:") && l.contains(dynamoDb.directEndpoint().toString()));
        assertThat(Files.exists(work.resolve("s3"))).isTrue();
    }
}
