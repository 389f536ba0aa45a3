package dev.spotkeeper.aws;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.testkit.store.StateStoreContract;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The state store contract against real DynamoDB: run with {@code mvn -pl aws -am verify
 * -Dtest=DynamoDbStateStoreIT -Dsurefire.failIfNoSpecifiedTests=false} and credentials allowed to create and
 * use the table {@code SPOTKEEPER_IT_TABLE} (default {@code spotkeeper-state-it}) in {@code AWS_REGION} (default
 * us-east-1). The table is created on demand billing and left in place for the next run; it costs nothing idle.
 * Skipped when no credentials resolve.
 */
class DynamoDbStateStoreIT extends StateStoreContract {
    private static AwsPorts ports;
    private static StateStore store;

    @BeforeAll
    static void connect() {
        assumeTrue(AwsCredentials.resolve(), "no AWS credentials: skipped");
        String region = System.getenv().getOrDefault("AWS_REGION", "us-east-1");
        String table = System.getenv().getOrDefault("SPOTKEEPER_IT_TABLE", "spotkeeper-state-it");
        ports = new AwsPorts(AwsSettings.defaults(), region, Clock.systemUTC());
        ports.ensureStateTable(table);
        store = ports.stateStore(table);
    }

    @AfterAll
    static void close() {
        if (ports != null) {
            ports.close();
        }
    }

    @Override
    protected StateStore store() {
        return store;
    }
}
