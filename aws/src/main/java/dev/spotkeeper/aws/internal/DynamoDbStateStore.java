package dev.spotkeeper.aws.internal;

import static dev.spotkeeper.aws.internal.DynamoDbItems.EXPIRES_AT;
import static dev.spotkeeper.aws.internal.DynamoDbItems.PK;
import static dev.spotkeeper.aws.internal.DynamoDbItems.SK;
import static dev.spotkeeper.aws.internal.DynamoDbItems.VERSION;
import static dev.spotkeeper.aws.internal.DynamoDbItems.WRITE_ID;
import static dev.spotkeeper.aws.internal.DynamoDbItems.n;
import static dev.spotkeeper.aws.internal.DynamoDbItems.s;
import static java.util.Objects.requireNonNull;

import dev.spotkeeper.awsclient.AwsErrorTranslator;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.ledger.LedgerEntry;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.OutboxEvent;
import dev.spotkeeper.core.store.PolicyState;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link StateStore} on one DynamoDB table (layout in {@link DynamoDbItems}). Every write that can lose a race
 * carries a {@code ConditionExpression}: creation {@code attribute_not_exists(pk)}, update {@code version = :read};
 * a failed condition is the lost race, answered with {@code false}. Reads are strongly consistent, so a
 * controller sees its own writes at once.
 */
public final class DynamoDbStateStore implements StateStore {
    /** How long a processed event key is kept: far past SQS's five-minute retention and any redelivery. */
    static final Duration PROCESSED_KEY_TTL = Duration.ofDays(2);
    private static final String NOT_EXISTS = "attribute_not_exists(" + PK + ")";

    private final DynamoDbClient dynamo;
    private final String table;
    private final String endpoint;
    private final Clock clock;

    public DynamoDbStateStore(DynamoDbClient dynamo, String table, String endpoint, Clock clock) {
        this.dynamo = requireNonNull(dynamo, "dynamo is null");
        this.table = requireNonNull(table, "table is null");
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public boolean createWorkload(WorkloadRecord workload) {
        return putWorkload(workload.withVersion(1), NOT_EXISTS, Map.of());
    }

    @Override
    public Optional<WorkloadRecord> workload(String name) {
        return get(DynamoDbItems.workloadKey(name)).map(DynamoDbItems::workload);
    }

    @Override
    public List<WorkloadRecord> workloads() {
        List<WorkloadRecord> all = query(DynamoDbItems.WORKLOADS, "WORKLOAD#", DynamoDbItems::workload);
        all.sort(Comparator.comparing(WorkloadRecord::submittedAt).thenComparing(WorkloadRecord::name));
        return all;
    }

    @Override
    public boolean updateWorkload(WorkloadRecord update) {
        return putWorkload(update.withVersion(update.version() + 1), VERSION + " = :read",
                Map.of(":read", n(update.version())));
    }

    /**
     * One Query of the workload's partition: its copy of the workload, its instances and its ledger. A workload
     * stored before the copy existed (an older table) has none until its next update: its listing item is read then.
     */
    @Override
    public Optional<WorkloadSnapshot> snapshot(String name) {
        List<Map<String, AttributeValue>> items = query("WORKLOAD#" + name, "", item -> item);
        WorkloadRecord workload = null;
        List<InstanceRecord> instances = new ArrayList<>();
        List<LedgerEntry> ledger = new ArrayList<>();
        PolicyState policy = PolicyState.NONE;
        for (Map<String, AttributeValue> item : items) {
            String sk = item.get(SK).s();
            if (sk.equals(DynamoDbItems.WORKLOAD_COPY)) {
                workload = DynamoDbItems.workload(item);
            } else if (sk.startsWith("INSTANCE#")) {
                instances.add(DynamoDbItems.instance(item));
            } else if (sk.startsWith("LEDGER#")) {
                ledger.add(DynamoDbItems.ledger(item));
            } else if (sk.equals(DynamoDbItems.POLICY)) {
                policy = DynamoDbItems.policy(item);
            }
        }
        Optional<WorkloadRecord> found = workload != null ? Optional.of(workload) : workload(name);
        instances.sort(Comparator.comparing(InstanceRecord::launchedAt).thenComparing(InstanceRecord::instanceId));
        PolicyState read = policy;
        return found.map(w -> new WorkloadSnapshot(w, instances, ledger, read));
    }

    @Override
    public Optional<PolicyState> policyState(String workload) {
        return get(DynamoDbItems.key("WORKLOAD#" + workload, DynamoDbItems.POLICY)).map(DynamoDbItems::policy);
    }

    @Override
    public boolean updatePolicyState(String workload, PolicyState next) {
        if (next.version() == 0) {
            return conditionalPut(DynamoDbItems.policy(workload, next.withVersion(1)), NOT_EXISTS, Map.of());
        }
        return conditionalPut(DynamoDbItems.policy(workload, next.withVersion(next.version() + 1)),
                VERSION + " = :read", Map.of(":read", n(next.version())));
    }

    /** The instance and the pointer that finds its workload, written together or not at all. */
    @Override
    public boolean createInstance(InstanceRecord instance) {
        String writeId = newWriteId();
        Map<String, AttributeValue> pointer = new HashMap<>(DynamoDbItems.instancePointerKey(instance.instanceId()));
        pointer.put("workload", s(instance.workload()));
        pointer.put(WRITE_ID, s(writeId));
        Map<String, AttributeValue> item = new HashMap<>(DynamoDbItems.instance(instance.withVersion(1)));
        item.put(WRITE_ID, s(writeId));
        try {
            call("TransactWriteItems", () -> dynamo.transactWriteItems(r -> r.transactItems(
                    t -> t.put(p -> p.tableName(table).item(pointer).conditionExpression(NOT_EXISTS)
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)),
                    t -> t.put(p -> p.tableName(table).item(item).conditionExpression(NOT_EXISTS)
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))));
            return true;
        } catch (SpotkeeperException e) {
            if (e.getCause() instanceof TransactionCanceledException cancelled && cancelled.cancellationReasons()
                    .stream().anyMatch(reason -> "ConditionalCheckFailed".equals(reason.code()))) {
                return cancelled.cancellationReasons().stream().anyMatch(reason -> isOurs(reason.item(), writeId));
            }
            throw e;
        }
    }

    @Override
    public Optional<InstanceRecord> instance(String instanceId) {
        return get(DynamoDbItems.instancePointerKey(instanceId))
                .flatMap(p -> get(DynamoDbItems.instanceKey(p.get("workload").s(), instanceId)))
                .map(DynamoDbItems::instance);
    }

    @Override
    public List<InstanceRecord> instances(String workload) {
        List<InstanceRecord> all = query("WORKLOAD#" + workload, "INSTANCE#", DynamoDbItems::instance);
        all.sort(Comparator.comparing(InstanceRecord::launchedAt).thenComparing(InstanceRecord::instanceId));
        return all;
    }

    @Override
    public boolean updateInstance(InstanceRecord update) {
        return conditionalPut(DynamoDbItems.instance(update.withVersion(update.version() + 1)),
                VERSION + " = :read", Map.of(":read", n(update.version())));
    }

    /** Numbers the entry from the workload's counter (an atomic ADD), so entries list in the order appended. */
    @Override
    public void appendLedger(LedgerEntry entry) {
        Map<String, AttributeValue> counter = DynamoDbItems.key("WORKLOAD#" + entry.workload(), "LEDGERSEQ");
        long sequence = call("UpdateItem", () -> Long.parseLong(dynamo.updateItem(r -> r.tableName(table)
                .key(counter).updateExpression("ADD seq :one")
                .expressionAttributeValues(Map.of(":one", n(1L)))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes().get("seq").n()));
        call("PutItem", () -> dynamo.putItem(r -> r.tableName(table).item(DynamoDbItems.ledger(entry, sequence))));
    }

    @Override
    public List<LedgerEntry> ledger(String workload) {
        return query("WORKLOAD#" + workload, "LEDGER#", DynamoDbItems::ledger);
    }

    /** Numbered from the outbox counter (an atomic ADD), as the ledger is. */
    @Override
    public long appendEvent(OutboxEvent event) {
        Map<String, AttributeValue> counter = DynamoDbItems.key(DynamoDbItems.OUTBOX, "SEQ");
        long sequence = call("UpdateItem", () -> Long.parseLong(dynamo.updateItem(r -> r.tableName(table)
                .key(counter).updateExpression("ADD seq :one")
                .expressionAttributeValues(Map.of(":one", n(1L)))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes().get("seq").n()));
        call("PutItem", () -> dynamo.putItem(r -> r.tableName(table)
                .item(DynamoDbItems.outbox(event.withSequence(sequence)))));
        return sequence;
    }

    @Override
    public List<OutboxEvent> events(long after, int limit) {
        return call("Query", () -> dynamo.query(r -> r.tableName(table).consistentRead(true).limit(limit)
                .keyConditionExpression(PK + " = :pk AND " + SK + " BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":pk", s(DynamoDbItems.OUTBOX),
                        ":from", s(String.format(java.util.Locale.ROOT, "EVENT#%012d", after + 1)),
                        ":to", s("EVENT#999999999999"))))
                .items().stream().map(DynamoDbItems::outbox).toList());
    }

    @Override
    public long sinkCursor(String sink) {
        return get(DynamoDbItems.key(DynamoDbItems.OUTBOX, "SINK#" + sink))
                .map(item -> Long.parseLong(item.get("sinkCursor").n())).orElse(0L);
    }

    @Override
    public boolean moveSinkCursor(String sink, long from, long to) {
        Map<String, AttributeValue> item = new HashMap<>(DynamoDbItems.key(DynamoDbItems.OUTBOX, "SINK#" + sink));
        item.put("sinkCursor", n(to));
        return from == 0
                ? conditionalPut(item, NOT_EXISTS + " OR sinkCursor = :from", Map.of(":from", n(from)))
                : conditionalPut(item, "sinkCursor = :from", Map.of(":from", n(from)));
    }

    @Override
    public boolean markProcessed(String eventKey) {
        Map<String, AttributeValue> item = new HashMap<>(DynamoDbItems.key("EVENT#" + eventKey, "EVENT"));
        item.put(EXPIRES_AT, n(clock.instant().plus(PROCESSED_KEY_TTL).getEpochSecond()));
        return conditionalPut(item, NOT_EXISTS, Map.of());
    }

    /**
     * Puts {@code item} if {@code condition} holds. The item carries a fresh write id: when the SDK retries a put
     * whose first attempt did succeed (the answer was lost), the retry fails its own condition, and the stored
     * item, returned with the failure, shows the write was ours after all.
     */
    private boolean conditionalPut(Map<String, AttributeValue> item, String condition,
                                   Map<String, AttributeValue> values) {
        String writeId = newWriteId();
        Map<String, AttributeValue> marked = new HashMap<>(item);
        marked.put(WRITE_ID, s(writeId));
        try {
            call("PutItem", () -> dynamo.putItem(r -> {
                r.tableName(table).item(marked).conditionExpression(condition)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
                if (!values.isEmpty()) {
                    r.expressionAttributeValues(values);
                }
            }));
            return true;
        } catch (SpotkeeperException e) {
            if (e.getCause() instanceof ConditionalCheckFailedException failed) {
                return failed.hasItem() && isOurs(failed.item(), writeId);
            }
            throw e;
        }
    }

    /**
     * The workload's listing item, put if {@code condition} holds on it, and its copy in its own partition, in one
     * transaction: both or neither. The write id recognises a retried transaction whose first attempt did succeed.
     */
    private boolean putWorkload(WorkloadRecord w, String condition, Map<String, AttributeValue> values) {
        String writeId = newWriteId();
        Map<String, AttributeValue> listed = new HashMap<>(DynamoDbItems.workload(w));
        listed.put(WRITE_ID, s(writeId));
        Map<String, AttributeValue> copy = new HashMap<>(listed);
        copy.putAll(DynamoDbItems.workloadCopyKey(w.name()));
        try {
            call("TransactWriteItems", () -> dynamo.transactWriteItems(r -> r.transactItems(
                    t -> t.put(p -> {
                        p.tableName(table).item(listed).conditionExpression(condition)
                                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
                        if (!values.isEmpty()) {
                            p.expressionAttributeValues(values);
                        }
                    }),
                    t -> t.put(p -> p.tableName(table).item(copy)))));
            return true;
        } catch (SpotkeeperException e) {
            if (e.getCause() instanceof TransactionCanceledException cancelled && cancelled.cancellationReasons()
                    .stream().anyMatch(reason -> "ConditionalCheckFailed".equals(reason.code()))) {
                return cancelled.cancellationReasons().stream().anyMatch(reason -> isOurs(reason.item(), writeId));
            }
            throw e;
        }
    }

    private static boolean isOurs(Map<String, AttributeValue> stored, String writeId) {
        AttributeValue id = stored == null ? null : stored.get(WRITE_ID);
        return id != null && writeId.equals(id.s());
    }

    /** A nonce, not a decision: it only has to differ between writes, so it needs no injected seed. */
    private static String newWriteId() {
        return UUID.randomUUID().toString();
    }

    private Optional<Map<String, AttributeValue>> get(Map<String, AttributeValue> key) {
        return call("GetItem", () -> {
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key).consistentRead(true)).item();
            return item == null || item.isEmpty() ? Optional.<Map<String, AttributeValue>>empty() : Optional.of(item);
        });
    }

    /** Every item of partition {@code pk} whose sort key starts with {@code skPrefix} (all when empty), in sort-key order. */
    private <T> List<T> query(String pk, String skPrefix, Function<Map<String, AttributeValue>, T> map) {
        return call("Query", () -> {
            List<T> out = new ArrayList<>();
            dynamo.queryPaginator(r -> r.tableName(table).consistentRead(true)
                    .keyConditionExpression(skPrefix.isEmpty() ? PK + " = :pk"
                            : PK + " = :pk AND begins_with(" + SK + ", :prefix)")
                    .expressionAttributeValues(skPrefix.isEmpty() ? Map.of(":pk", s(pk))
                            : Map.of(":pk", s(pk), ":prefix", s(skPrefix))))
                    .items().forEach(item -> out.add(map.apply(item)));
            return out;
        });
    }

    private <T> T call(String action, Supplier<T> body) {
        return AwsErrorTranslator.call("DynamoDB", action, () -> endpoint, body);
    }
}
