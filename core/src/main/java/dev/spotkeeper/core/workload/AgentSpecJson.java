package dev.spotkeeper.core.workload;

import dev.spotkeeper.core.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The versioned JSON of an {@link AgentSpec}, written by the controller and read by the agent. It has a schema
 * version of its own: an agent older than its controller refuses a newer spec clearly (and says so to the
 * controller) rather than running the job with fields it would drop.
 */
public final class AgentSpecJson {
    /**
     * Raised whenever a member is added, renamed or changes meaning. 2: a service's {@code database}. A document of
     * an older version is read as its version meant it.
     */
    public static final int SCHEMA_VERSION = 2;

    private AgentSpecJson() {
    }

    public static String write(AgentSpec spec) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("workload", spec.workload());
        root.put("generation", spec.generation());
        WorkloadSpec.Buckets b = spec.buckets();
        root.put("buckets", WorkloadSpecJson.ordered("source", b.source(), "results", b.results(),
                "checkpoints", b.checkpoints(), "region", b.region()));
        String kind = WorkloadSpecJson.kindName(spec.kind());
        root.put("kind", kind);
        root.put(kind, WorkloadSpecJson.extension(spec.work()));
        return Json.write(root);
    }

    /** Reads an agent spec; {@code source} names it in errors (its S3 URL). */
    public static AgentSpec read(String source, String text) {
        JsonMembers root = JsonMembers.versioned(source, text, "agent spec", SCHEMA_VERSION);
        String workload = root.string("workload");
        long generation = root.integer("generation");
        if (generation < 1 || generation > Integer.MAX_VALUE) {
            throw root.invalid("generation", "must be a whole number from 1, was " + generation);
        }
        JsonMembers b = root.child("buckets");
        WorkloadSpec.Buckets buckets = new WorkloadSpec.Buckets(b.string("source"), b.string("results"),
                b.string("checkpoints"), b.string("region"));
        b.finish();
        WorkloadKind kind = WorkloadSpecJson.kind(root, root.string("kind"));
        WorkloadExtension work = WorkloadSpecJson.extension(root.child(WorkloadSpecJson.kindName(kind)), kind,
                root.schemaVersion());
        root.finish();
        return new AgentSpec(workload, (int) generation, buckets, work);
    }
}
