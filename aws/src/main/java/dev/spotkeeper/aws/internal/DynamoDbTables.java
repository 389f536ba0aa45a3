package dev.spotkeeper.aws.internal;

import dev.spotkeeper.awsclient.AwsErrorTranslator;
import dev.spotkeeper.core.SpotkeeperException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Creates the state table: keys pk/sk (strings), on-demand billing, TTL on {@code expiresAt}. */
public final class DynamoDbTables {
    private DynamoDbTables() {
    }

    /** Creates the table unless it exists and waits until it is ACTIVE; returns whether it was created. */
    public static boolean ensureStateTable(DynamoDbClient dynamo, String table, String endpoint) {
        boolean created = true;
        try {
            dynamo.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            a -> a.attributeName(DynamoDbItems.PK).attributeType(ScalarAttributeType.S),
                            a -> a.attributeName(DynamoDbItems.SK).attributeType(ScalarAttributeType.S))
                    .keySchema(
                            k -> k.attributeName(DynamoDbItems.PK).keyType(KeyType.HASH),
                            k -> k.attributeName(DynamoDbItems.SK).keyType(KeyType.RANGE)));
        } catch (ResourceInUseException e) {
            created = false;
        } catch (SdkException e) {
            throw translate(e, "CreateTable", endpoint);
        }
        try {
            dynamo.waiter().waitUntilTableExists(r -> r.tableName(table));
            boolean ttlOn = dynamo.describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription()
                    .attributeName() != null;
            if (!ttlOn) {
                dynamo.updateTimeToLive(r -> r.tableName(table).timeToLiveSpecification(
                        t -> t.attributeName(DynamoDbItems.EXPIRES_AT).enabled(true)));
            }
        } catch (SdkException e) {
            throw translate(e, "UpdateTimeToLive", endpoint);
        }
        return created;
    }

    private static SpotkeeperException translate(SdkException e, String action, String endpoint) {
        return AwsErrorTranslator.translate(e, "DynamoDB", action, endpoint);
    }
}
