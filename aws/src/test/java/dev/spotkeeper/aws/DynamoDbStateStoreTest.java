package dev.spotkeeper.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.aws.internal.DynamoDbStateStore;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.emulator.services.DynamoDbComponent;
import dev.spotkeeper.testkit.store.StateStoreContract;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** {@code DynamoDbStateStore} through {@link AwsPorts} against DynamoDB Local in the emulator. */
class DynamoDbStateStoreTest extends StateStoreContract {
    private static final String TABLE = "spotkeeper-state-test";
    private static EmulatedAws aws;
    private static DynamoDbClient dynamo;
    private static StateStore store;

    @BeforeAll
    static void start() throws Exception {
        aws = EmulatedAws.start(64, new DynamoDbComponent());
        dynamo = DynamoDbClient.builder().endpointOverride(aws.emulator.endpoint()).region(Region.of(EmulatedAws.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        aws.emulator.credentials().accessKeyId(), aws.emulator.credentials().secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create()).build();
        aws.ports.ensureStateTable(TABLE);
        store = aws.ports.stateStore(TABLE);
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        aws.close();
    }

    @Override
    protected StateStore store() {
        return store;
    }

    @Test
    void ensureStateTable_makesAnOnDemandTableWithTtl_andIsSafeToRepeat() {
        assertThat(aws.ports.ensureStateTable(TABLE)).as("exists already").isFalse();

        TableDescription t = dynamo.describeTable(r -> r.tableName(TABLE)).table();
        assertThat(t.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        assertThat(t.keySchema()).extracting(k -> k.attributeName()).containsExactly("pk", "sk");
        assertThat(dynamo.describeTimeToLive(r -> r.tableName(TABLE)).timeToLiveDescription().attributeName())
                .isEqualTo("expiresAt");
    }

    @Test
    void racingUpdatesFromOneVersion_exactlyOneWins() throws Exception {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        String name = "race-" + System.nanoTime();
        store.createWorkload(new WorkloadRecord(name, "name: race", WorkloadStatus.SUBMITTED, 0, "", t0, t0, 0));
        WorkloadRecord read = store.workload(name).orElseThrow();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> writers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                double progress = 0.1 * (i + 1);
                writers.add(() -> store.updateWorkload(read.with(WorkloadStatus.RUNNING, progress, "", t0)));
            }
            long wins = 0;
            for (Future<Boolean> f : pool.invokeAll(writers)) {
                wins += f.get() ? 1 : 0;
            }

            assertThat(wins).isEqualTo(1);
            assertThat(store.workload(name).orElseThrow().version()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void conditionalWrite_whoseAnswerWasLost_isRecognisedAsOursWhenTheSdkRetries() {
        AtomicBoolean lost = new AtomicBoolean();
        ExecutionInterceptor loseFirstAnswer = new ExecutionInterceptor() {
            @Override
            public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
                // The write happened; its answer turns into a server error, as a dropped connection would.
                if (context.request() instanceof PutItemRequest && lost.compareAndSet(false, true)) {
                    return context.httpResponse().toBuilder().statusCode(500).build();
                }
                return context.httpResponse();
            }
        };
        try (DynamoDbClient flaky = DynamoDbClient.builder().endpointOverride(aws.emulator.endpoint())
                .region(Region.of(EmulatedAws.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        aws.emulator.credentials().accessKeyId(), aws.emulator.credentials().secretAccessKey())))
                .overrideConfiguration(o -> o.addExecutionInterceptor(loseFirstAnswer))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            StateStore s = new DynamoDbStateStore(flaky, TABLE, aws.emulator.endpoint().toString(), Clock.systemUTC());
            String key = "i-lost|EC2 Spot Instance Interruption Warning|" + System.nanoTime();

            assertThat(s.markProcessed(key)).as("the first write was ours").isTrue();
            assertThat(lost).isTrue();
            assertThat(s.markProcessed(key)).as("a second delivery is a duplicate").isFalse();
        }
    }

    @Test
    void snapshot_isOneQuery_andReadsAWorkloadStoredBeforeItsCopyExisted() {
        List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutionInterceptor counting = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                requests.add(context.request().getClass().getSimpleName());
            }
        };
        try (DynamoDbClient counted = DynamoDbClient.builder().endpointOverride(aws.emulator.endpoint())
                .region(Region.of(EmulatedAws.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        aws.emulator.credentials().accessKeyId(), aws.emulator.credentials().secretAccessKey())))
                .overrideConfiguration(o -> o.addExecutionInterceptor(counting))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            StateStore s = new DynamoDbStateStore(counted, TABLE, aws.emulator.endpoint().toString(), Clock.systemUTC());
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            String name = "snap-" + System.nanoTime();
            s.createWorkload(new WorkloadRecord(name, "name: snap", WorkloadStatus.SUBMITTED, 0, "", t0, t0, 0));
            s.appendLedger(dev.spotkeeper.core.ledger.LedgerEntry.flat(name, "i-1",
                    dev.spotkeeper.core.ledger.CostKind.TRANSFER, t0, 0.5, "x"));
            requests.clear();

            assertThat(s.snapshot(name).orElseThrow().ledger()).hasSize(1);
            assertThat(requests).containsExactly("QueryRequest");

            String old = "old-" + System.nanoTime();
            Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> listed = Map.of(
                    "pk", av("WORKLOADS"), "sk", av("WORKLOAD#" + old), "name", av(old), "specText", av("name: old"),
                    "status", av("RUNNING"), "progress", software.amazon.awssdk.services.dynamodb.model.AttributeValue
                            .fromN("0.25"), "lastCheckpoint", av(""), "submittedAt", av(t0.toString()),
                    "updatedAt", av(t0.toString()), "version", software.amazon.awssdk.services.dynamodb.model
                            .AttributeValue.fromN("3"));
            dynamo.putItem(r -> r.tableName(TABLE).item(listed));

            WorkloadRecord read = s.snapshot(old).orElseThrow().workload();
            assertThat(read.status()).isEqualTo(WorkloadStatus.RUNNING);
            assertThat(read.version()).isEqualTo(3);
            assertThat(s.updateWorkload(read.with(WorkloadStatus.CANCELLED, 0.25, "", t0))).isTrue();
            assertThat(s.snapshot(old).orElseThrow().workload().status()).isEqualTo(WorkloadStatus.CANCELLED);
        }
    }

    private static software.amazon.awssdk.services.dynamodb.model.AttributeValue av(String v) {
        return software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(v);
    }

    @Test
    void aStoreOnAMissingTable_saysToCreateIt() {
        StateStore missing = aws.ports.stateStore("no-such-table");

        assertThatThrownBy(() -> missing.workload("x")).isInstanceOfSatisfying(SpotkeeperException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains("ResourceNotFoundException").contains("state table");
        });
    }
}
