package dev.spotkeeper.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.emulator.LocalEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A synthesised stack ({@code cdk.out}: template, assets manifest, a file asset) deployed through the emulator's
 * CloudFormation: created with its assets uploaded, redeployed without changes, rolled back with the reason when a
 * resource fails, and destroyed with only the bucket that holds data left.
 */
class StackDeploymentTest {
    private static final String REGION = "us-east-1";
    private static final String ACCOUNT = "000000000000";

    @TempDir
    static Path work;

    private static LocalEmulator emulator;
    private static AwsSettings settings;

    @BeforeAll
    static void start() throws Exception {
        emulator = LocalEmulator.builder().port(0).seed(11).bootDelay(Duration.ZERO).traces(false).services(true)
                .workDirectory(work.resolve("emulator")).start();
        settings = AwsSettings.defaults().withEndpoint(emulator.endpoint())
                .withStaticKeys(emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey());
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private static final String TEMPLATE = """
            {"Resources": {
               "Table": {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Retain", "Properties": {
                  "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                  "KeySchema": [{"AttributeName": "%s", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}},
               "Queue": {"Type": "AWS::SQS::Queue"},
               "Data": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"},
               "Spare": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"}},
             "Outputs": {"Table": {"Value": {"Ref": "Table"}}, "Queue": {"Value": {"Ref": "Queue"}},
                         "Data": {"Value": {"Ref": "Data"}}, "Spare": {"Value": {"Ref": "Spare"}}}}
            """;

    private static final String ASSETS = """
            {"version": "54.0.0", "files": {
              "abc": {"source": {"path": "asset.abc.jar", "packaging": "file"}, "destinations": {"d": {
                "bucketName": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}", "objectKey": "abc.jar"}}},
              "tpl": {"source": {"path": "%s.template.json", "packaging": "file"}, "destinations": {"d": {
                "bucketName": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}", "objectKey": "%s-tpl.json"}}}}}
            """;

    private static Path cdkOut(String stack, String hashKey) throws Exception {
        Path dir = Files.createDirectories(work.resolve(stack + "-" + hashKey));
        Files.writeString(dir.resolve(stack + ".template.json"), TEMPLATE.formatted(hashKey));
        Files.writeString(dir.resolve(stack + ".assets.json"), ASSETS.formatted(stack, stack + hashKey));
        Files.write(dir.resolve("asset.abc.jar"), "function code".getBytes(StandardCharsets.UTF_8));
        return dir;
    }

    @Test
    void deploy_createsTheStackWithItsAssets_redeploySaysNoChange_destroyKeepsOnlyTheBucketWithData() throws Exception {
        List<String> lines = new ArrayList<>();
        try (StackDeployment d = new StackDeployment(settings, REGION, ACCOUNT, Clock.systemUTC());
             S3Client s3 = s3(); DynamoDbClient dynamo = dynamo(); SqsClient sqs = sqs()) {
            StackDeployment.Deployed first = d.deploy(cdkOut("plane", "pk"), "plane", lines::add);
            assertThat(first.changed()).isTrue();
            assertThat(first.status()).isEqualTo("CREATE_COMPLETE");
            assertThat(lines).anyMatch(l -> l.startsWith("uploading asset.abc.jar to s3://cdk-hnb659fds-assets-"
                    + ACCOUNT + "-" + REGION + "/abc.jar"));
            assertThat(lines).anyMatch(l -> l.contains("CREATE_COMPLETE") && l.contains("AWS::DynamoDB::Table")
                    && l.endsWith("Table"));
            assertThat(s3.getObjectAsBytes(b -> b.bucket("cdk-hnb659fds-assets-" + ACCOUNT + "-" + REGION)
                    .key("abc.jar")).asUtf8String()).isEqualTo("function code");
            Map<String, String> out = first.outputs();
            dynamo.putItem(b -> b.tableName(out.get("Table")).item(Map.of("pk", AttributeValue.fromS("x"))));
            dynamo.deleteItem(b -> b.tableName(out.get("Table")).key(Map.of("pk", AttributeValue.fromS("x"))));
            sqs.sendMessage(b -> b.queueUrl(out.get("Queue")).messageBody("m"));
            s3.putObject(b -> b.bucket(out.get("Data")).key("results/1"), RequestBody.fromString("r"));

            lines.clear();
            StackDeployment.Deployed again = d.deploy(cdkOut("plane", "pk"), "plane", lines::add);
            assertThat(again.changed()).isFalse();
            assertThat(lines).contains("no changes: stack plane is up to date");

            lines.clear();
            StackDeployment.Destroyed destroyed = d.destroy("plane", false, lines::add);
            assertThat(destroyed.kept()).containsExactly("bucket " + out.get("Data"));
            assertThat(s3.listBuckets().buckets()).extracting(b -> b.name())
                    .contains(out.get("Data")).doesNotContain(out.get("Spare"));
            assertThat(dynamo.listTables().tableNames()).doesNotContain(out.get("Table"));
            assertThat(sqs.listQueues().queueUrls()).doesNotContain(out.get("Queue"));
            assertThat(lines).anyMatch(l -> l.contains("DELETE_COMPLETE") && l.contains("AWS::SQS::Queue"));
        }
    }

    @Test
    void aFailedDeploy_isRolledBack_andReportedWithTheResourcesReason() throws Exception {
        List<String> lines = new ArrayList<>();
        try (StackDeployment d = new StackDeployment(settings, REGION, ACCOUNT, Clock.systemUTC())) {
            assertThatThrownBy(() -> d.deploy(cdkOut("broken", "nokey"), "broken", lines::add))
                    .isInstanceOf(SpotkeeperException.class)
                    .hasMessageContaining("failed and was rolled back (ROLLBACK_COMPLETE)")
                    .hasMessageContaining("Table: ");
            assertThat(lines).anyMatch(l -> l.contains("ROLLBACK_COMPLETE"));
            assertThat(lines).anyMatch(l -> l.contains("CREATE_FAILED") && l.contains("Table"));
        }
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(emulator.credentials().accessKeyId(),
                emulator.credentials().secretAccessKey()));
    }

    private static S3Client s3() {
        return S3Client.builder().endpointOverride(emulator.endpoint()).region(Region.of(REGION)).forcePathStyle(true)
                .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static DynamoDbClient dynamo() {
        return DynamoDbClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(REGION))
                .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static SqsClient sqs() {
        return SqsClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(REGION))
                .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
    }
}
