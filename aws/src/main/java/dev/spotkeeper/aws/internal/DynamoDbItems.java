package dev.spotkeeper.aws.internal;

import dev.spotkeeper.core.ledger.CostKind;
import dev.spotkeeper.core.ledger.LedgerEntry;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.InstanceRole;
import dev.spotkeeper.core.store.JobRun;
import dev.spotkeeper.core.store.EventFields;
import dev.spotkeeper.core.store.OutboxEvent;
import dev.spotkeeper.core.store.PolicyState;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The single-table layout (one table, keys {@code pk}/{@code sk}, after "Best practices for modeling relational
 * data in DynamoDB") and the mapping of records to items:
 * <pre>
 * pk                 sk                  item
 * WORKLOADS          WORKLOAD#name       a workload (one partition: workloads() is one strongly consistent Query);
 *                                        conditional writes of a workload compare the version of this item
 * WORKLOAD#name      WORKLOAD            the same workload, written with it in one transaction, so that
 *                                        snapshot(workload) is one Query of the workload's partition
 * WORKLOAD#name      INSTANCE#id         an instance of the workload (instances(workload) is one Query)
 * WORKLOAD#name      POLICY              the workload's policy state and pool memory
 * INSTANCE#id        INSTANCE            which workload an instance belongs to (instance(id) finds it)
 * WORKLOAD#name      LEDGERSEQ           the workload's ledger counter
 * WORKLOAD#name      LEDGER#000000000001 one ledger entry, in append order
 * EVENT#key          EVENT               a processed event key, with expiresAt for DynamoDB's TTL
 * OUTBOX             SEQ                 the outbox counter
 * OUTBOX             EVENT#000000000001  one outbox event, in append order
 * OUTBOX             SINK#name           a sink's cursor (the last sequence it took)
 * </pre>
 */
final class DynamoDbItems {
    static final String PK = "pk";
    static final String SK = "sk";
    static final String VERSION = "version";
    static final String EXPIRES_AT = "expiresAt";
    /** A nonce on every conditional write, to recognise our own write when a retry finds it stored. */
    static final String WRITE_ID = "writeId";
    static final String WORKLOADS = "WORKLOADS";
    static final String WORKLOAD_COPY = "WORKLOAD";
    static final String POLICY = "POLICY";
    static final String OUTBOX = "OUTBOX";

    private DynamoDbItems() {
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, s(pk), SK, s(sk));
    }

    static Map<String, AttributeValue> workloadKey(String name) {
        return key(WORKLOADS, "WORKLOAD#" + name);
    }

    /** The copy of the workload kept in its own partition, read by {@code snapshot}. */
    static Map<String, AttributeValue> workloadCopyKey(String name) {
        return key("WORKLOAD#" + name, WORKLOAD_COPY);
    }

    static Map<String, AttributeValue> instanceKey(String workload, String instanceId) {
        return key("WORKLOAD#" + workload, "INSTANCE#" + instanceId);
    }

    static Map<String, AttributeValue> instancePointerKey(String instanceId) {
        return key("INSTANCE#" + instanceId, "INSTANCE");
    }

    static Map<String, AttributeValue> workload(WorkloadRecord w) {
        Map<String, AttributeValue> item = new HashMap<>(workloadKey(w.name()));
        item.put("name", s(w.name()));
        item.put("specText", s(w.specText()));
        item.put("status", s(w.status().name()));
        item.put("progress", n(w.progress()));
        item.put("lastCheckpoint", s(w.lastCheckpoint()));
        item.put("submittedAt", s(w.submittedAt().toString()));
        item.put("updatedAt", s(w.updatedAt().toString()));
        item.put(VERSION, n(w.version()));
        JobRun run = w.run();
        run.startedAt().ifPresent(at -> item.put("startedAt", s(at.toString())));
        item.put("longestUploadSeconds", n(run.longestUploadSeconds()));
        item.put("restoredCheckpoint", s(run.restoredCheckpoint()));
        item.put("skippedCheckpoints", AttributeValue.fromL(run.skippedCheckpoints().stream().map(DynamoDbItems::s)
                .toList()));
        if (w.fleet().made()) {
            item.put("fleet", s(w.fleet().toJson()));
        }
        return item;
    }

    static WorkloadRecord workload(Map<String, AttributeValue> item) {
        return new WorkloadRecord(str(item, "name"), str(item, "specText"), WorkloadStatus.valueOf(str(item, "status")),
                dbl(item, "progress"), str(item, "lastCheckpoint"), Instant.parse(str(item, "submittedAt")),
                Instant.parse(str(item, "updatedAt")), lng(item, VERSION), run(item),
                dev.spotkeeper.core.store.FleetState.fromJson(optional(item, "fleet")));
    }

    /** Items written before the job's run was stored read as a run that has not started. */
    private static JobRun run(Map<String, AttributeValue> item) {
        AttributeValue skipped = item.get("skippedCheckpoints");
        return new JobRun(Optional.ofNullable(item.get("startedAt")).map(v -> Instant.parse(v.s())),
                item.containsKey("longestUploadSeconds") ? dbl(item, "longestUploadSeconds") : 0,
                optional(item, "restoredCheckpoint"),
                skipped == null || !skipped.hasL() ? List.of() : skipped.l().stream().map(AttributeValue::s).toList());
    }

    static Map<String, AttributeValue> instance(InstanceRecord i) {
        Map<String, AttributeValue> item = new HashMap<>(instanceKey(i.workload(), i.instanceId()));
        item.put("instanceId", s(i.instanceId()));
        item.put("workload", s(i.workload()));
        item.put("poolKey", s(i.poolKey()));
        item.put("spot", AttributeValue.fromBool(i.spot()));
        item.put("pricePerHour", n(i.pricePerHour()));
        item.put("state", s(i.state().name()));
        item.put("replaces", s(i.replaces()));
        item.put("replacedBy", s(i.replacedBy()));
        item.put("launchedAt", s(i.launchedAt().toString()));
        item.put("updatedAt", s(i.updatedAt().toString()));
        i.interruptedAt().ifPresent(at -> item.put("interruptedAt", s(at.toString())));
        item.put("start", s(i.start()));
        item.put("committed", s(i.committed()));
        item.put("role", s(i.role().name()));
        item.put("slot", n((long) i.slot()));
        item.put(VERSION, n(i.version()));
        return item;
    }

    static InstanceRecord instance(Map<String, AttributeValue> item) {
        return new InstanceRecord(str(item, "instanceId"), str(item, "workload"), str(item, "poolKey"),
                item.get("spot").bool(), dbl(item, "pricePerHour"), InstanceState.valueOf(str(item, "state")),
                str(item, "replaces"), str(item, "replacedBy"), Instant.parse(str(item, "launchedAt")),
                Instant.parse(str(item, "updatedAt")), lng(item, VERSION),
                Optional.ofNullable(item.get("interruptedAt")).map(v -> Instant.parse(v.s())),
                optional(item, "start"), optional(item, "committed"),
                item.containsKey("role") ? InstanceRole.valueOf(str(item, "role")) : InstanceRole.of(str(item, "replaces")),
                item.containsKey("slot") ? (int) lng(item, "slot") : 0);
    }

    /** A string attribute added after items of its kind were first stored: empty when an older item lacks it. */
    private static String optional(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? "" : v.s();
    }

    static Map<String, AttributeValue> policy(String workload, PolicyState p) {
        Map<String, AttributeValue> item = new HashMap<>(key("WORKLOAD#" + workload, POLICY));
        Map<String, AttributeValue> pools = new HashMap<>();
        p.pools().forEach((k, at) -> pools.put(k, s(at.toString())));
        item.put("pools", AttributeValue.fromM(pools));
        item.put("tick", n((long) p.tick()));
        p.askedAt().ifPresent(at -> item.put("askedAt", s(at.toString())));
        item.put("holding", s(p.holding()));
        item.put("asked", s(p.asked()));
        item.put("merged", s(p.merged()));
        item.put(VERSION, n(p.version()));
        return item;
    }

    static PolicyState policy(Map<String, AttributeValue> item) {
        Map<String, Instant> pools = new HashMap<>();
        AttributeValue m = item.get("pools");
        if (m != null && m.hasM()) {
            m.m().forEach((k, v) -> pools.put(k, Instant.parse(v.s())));
        }
        return new PolicyState(pools, (int) lng(item, "tick"),
                Optional.ofNullable(item.get("askedAt")).map(v -> Instant.parse(v.s())), optional(item, "holding"),
                optional(item, "asked"), optional(item, "merged"), lng(item, VERSION));
    }

    static Map<String, AttributeValue> outbox(OutboxEvent e) {
        Map<String, AttributeValue> item = new HashMap<>(key(OUTBOX, String.format(Locale.ROOT, "EVENT#%012d",
                e.sequence())));
        item.put("sequence", n(e.sequence()));
        item.put("time", s(e.time().toString()));
        item.put("workload", s(e.workload()));
        item.put("instanceId", s(e.instanceId()));
        item.put("kind", s(e.kind()));
        item.put("message", s(e.message()));
        if (!e.fields().isEmpty()) {
            item.put("fields", s(e.fields().toJson()));
        }
        return item;
    }

    static OutboxEvent outbox(Map<String, AttributeValue> item) {
        return new OutboxEvent(lng(item, "sequence"), Instant.parse(str(item, "time")), str(item, "workload"),
                str(item, "instanceId"), str(item, "kind"), str(item, "message"),
                item.containsKey("fields") ? EventFields.parse(str(item, "fields")) : EventFields.NONE);
    }

    static Map<String, AttributeValue> ledger(LedgerEntry e, long sequence) {
        Map<String, AttributeValue> item = new HashMap<>(key("WORKLOAD#" + e.workload(),
                String.format(Locale.ROOT, "LEDGER#%012d", sequence)));
        item.put("workload", s(e.workload()));
        item.put("instanceId", s(e.instanceId()));
        item.put("kind", s(e.kind().name()));
        item.put("start", s(e.start().toString()));
        item.put("end", s(e.end().toString()));
        item.put("ratePerHour", n(e.ratePerHour()));
        item.put("onDemandRatePerHour", n(e.onDemandRatePerHour()));
        item.put("amount", n(e.amount()));
        item.put("note", s(e.note()));
        return item;
    }

    static LedgerEntry ledger(Map<String, AttributeValue> item) {
        return new LedgerEntry(str(item, "workload"), str(item, "instanceId"), CostKind.valueOf(str(item, "kind")),
                Instant.parse(str(item, "start")), Instant.parse(str(item, "end")), dbl(item, "ratePerHour"),
                dbl(item, "onDemandRatePerHour"), dbl(item, "amount"), str(item, "note"));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** Doubles as their shortest decimal without exponent, which reads back as the same double. */
    static AttributeValue n(double value) {
        return AttributeValue.fromN(BigDecimal.valueOf(value).toPlainString());
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null || v.s() == null) {
            throw new IllegalStateException("stored item " + item.get(PK) + "/" + item.get(SK) + " lacks " + name);
        }
        return v.s();
    }

    private static double dbl(Map<String, AttributeValue> item, String name) {
        return Double.parseDouble(item.get(name).n());
    }

    private static long lng(Map<String, AttributeValue> item, String name) {
        return Long.parseLong(item.get(name).n());
    }
}
