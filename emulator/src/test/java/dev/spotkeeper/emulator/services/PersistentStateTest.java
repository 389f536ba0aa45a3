package dev.spotkeeper.emulator.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.emulator.LocalEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;

/** What an emulator with persistent state keeps for the next one started in the same work directory. */
class PersistentStateTest {
    @TempDir
    Path work;

    private LocalEmulator start() throws Exception {
        return LocalEmulator.builder().port(0).services(true).persistentState(true).workDirectory(work).start();
    }

    @Test
    void persistentState_keepsDynamoDbTablesAndS3Objects_forTheNextStartInTheSameDirectory() throws Exception {
        try (LocalEmulator first = start()) {
            TestClients clients = new TestClients(first.endpoint());
            try (DynamoDbClient dynamo = clients.dynamoDb(); S3Client s3 = clients.s3()) {
                dynamo.createTable(b -> b.tableName("state").billingMode(BillingMode.PAY_PER_REQUEST)
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
                dynamo.putItem(b -> b.tableName("state").item(Map.of("pk", AttributeValue.fromS("train"),
                        "step", AttributeValue.fromN("167"))));
                s3.createBucket(b -> b.bucket("ckpt"));
                s3.putObject(b -> b.bucket("ckpt").key("train/manifest.json"), RequestBody.fromString("{\"step\":167}"));
            }
        }

        try (LocalEmulator second = start()) {
            TestClients clients = new TestClients(second.endpoint());
            try (DynamoDbClient dynamo = clients.dynamoDb(); S3Client s3 = clients.s3()) {
                assertThat(dynamo.getItem(b -> b.tableName("state").key(Map.of("pk", AttributeValue.fromS("train"))))
                        .item()).containsEntry("step", AttributeValue.fromN("167"));
                assertThat(s3.getObjectAsBytes(b -> b.bucket("ckpt").key("train/manifest.json")).asUtf8String())
                        .isEqualTo("{\"step\":167}");
            }
        }
        assertThat(work).isDirectory();
    }

    @Test
    void close_deletesTheWorkDirectoryItCreatedItself_neverOneItWasGiven() throws Exception {
        Path created;
        try (LocalEmulator own = LocalEmulator.builder().port(0).start()) {
            created = own.workDirectory();
            assertThat(created.getFileName().toString()).startsWith("spotkeeper-emulator-");
            Files.writeString(created.resolve("written-by-an-instance.txt"), "x");
        }
        try (LocalEmulator given = LocalEmulator.builder().port(0).workDirectory(work).start()) {
            Files.writeString(given.workDirectory().resolve("kept.txt"), "x");
        }

        assertThat(created).doesNotExist();
        assertThat(work.resolve("kept.txt")).exists();
    }
}
