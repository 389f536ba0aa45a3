package dev.spotkeeper.core.workload;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.market.Architecture;
import dev.spotkeeper.core.placement.Requirements;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The canonical form of a {@link WorkloadSpec}: JSON with a {@code schemaVersion}, which the store keeps and every
 * reader after submit reads (the YAML file is read once, in the CLI). A document of a newer schema version is
 * refused, not half read. Sets are written sorted, so one spec always has one text.
 */
public final class WorkloadSpecJson {
    /**
     * Raised whenever a member is renamed or changes meaning, or a required one is added. 2: a service's
     * {@code database}, and a fleet's fields (no fleet was stored before). A document of an older version is read as
     * its version meant it. An optional member that is
     * written only when set (as {@code notify}) leaves it: a spec without it has the text it had, and a reader that
     * does not know it refuses the document by path rather than drop it.
     */
    public static final int SCHEMA_VERSION = 2;

    private WorkloadSpecJson() {
    }

    public static String write(WorkloadSpec spec) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("name", spec.name());
        root.put("kind", kindName(spec.kind()));
        root.put("requirements", requirements(spec.requirements()));
        root.put("strategy", spec.strategy());
        root.put("limits", limits(spec.limits()));
        root.put("image", spec.image());
        WorkloadSpec.Buckets b = spec.buckets();
        root.put("buckets", ordered("source", b.source(), "results", b.results(), "checkpoints", b.checkpoints(),
                "region", b.region()));
        root.put("relocation", ordered("every", spec.relocation().every().toString(),
                "minGain", spec.relocation().minGain()));
        root.put(kindName(spec.kind()), extension(spec.extension()));
        if (!spec.notifications().isEmpty()) {
            root.put("notify", NotifyJson.write(spec.notifications()));
        }
        return Json.write(root);
    }

    /** Reads a canonical spec; {@code source} names it in errors (the store's workload, a file). */
    public static WorkloadSpec read(String source, String text) {
        JsonMembers root = JsonMembers.versioned(source, text, "workload spec", SCHEMA_VERSION);
        String name = root.string("name");
        WorkloadKind kind = kind(root, root.string("kind"));
        Requirements requirements = requirements(root.child("requirements"));
        String strategy = root.string("strategy");
        Limits limits = limits(root.child("limits"));
        String image = root.string("image");
        JsonMembers b = root.child("buckets");
        WorkloadSpec.Buckets buckets = new WorkloadSpec.Buckets(b.string("source"), b.string("results"),
                b.string("checkpoints"), b.string("region"));
        b.finish();
        JsonMembers r = root.child("relocation");
        RelocationSpec relocation;
        try {
            relocation = new RelocationSpec(r.duration("every"), r.number("minGain"));
        } catch (IllegalArgumentException e) {
            throw r.invalid("minGain", e.getMessage());
        }
        r.finish();
        WorkloadExtension extension = extension(root.child(kindName(kind)), kind, root.schemaVersion());
        NotifySpec notify = root.has("notify") ? NotifyJson.read(root.child("notify")) : NotifySpec.NONE;
        root.finish();
        return new WorkloadSpec(name, requirements, strategy, limits, image, buckets, relocation, extension, notify);
    }

    /** True when the text is a canonical spec (of any version) rather than a workload file of before them. */
    public static boolean isCanonical(String text) {
        return text.stripLeading().startsWith("{");
    }

    static String kindName(WorkloadKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    static WorkloadKind kind(JsonMembers m, String text) {
        for (WorkloadKind k : WorkloadKind.values()) {
            if (kindName(k).equals(text)) {
                return k;
            }
        }
        throw m.invalid("kind", "must be job, service or fleet, was '" + text + "'");
    }

    private static Map<String, Object> requirements(Requirements r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vcpus", r.minVcpus());
        m.put("memoryGib", r.minMemoryGib());
        m.put("gpus", r.minGpus());
        r.architecture().ifPresent(a -> m.put("arch", a.awsName()));
        m.put("types", sorted(r.types()));
        m.put("excludeTypes", sorted(r.excludedTypes()));
        m.put("families", sorted(r.families()));
        m.put("excludeFamilies", sorted(r.excludedFamilies()));
        m.put("regions", sorted(r.regions()));
        m.put("azs", sorted(r.zones()));
        if (!Double.isInfinite(r.maxPricePerHour())) {
            m.put("maxPricePerHour", r.maxPricePerHour());
        }
        return m;
    }

    private static Requirements requirements(JsonMembers m) {
        Requirements.Builder b = Requirements.builder()
                .vcpus(Math.toIntExact(m.integer("vcpus")))
                .memoryGib(m.number("memoryGib"))
                .gpus(Math.toIntExact(m.integer("gpus")))
                .types(m.strings("types"))
                .excludedTypes(m.strings("excludeTypes"))
                .families(m.strings("families"))
                .excludedFamilies(m.strings("excludeFamilies"))
                .regions(m.strings("regions"))
                .zones(m.strings("azs"))
                .maxPricePerHour(m.optionalNumber("maxPricePerHour").orElse(Double.POSITIVE_INFINITY));
        Optional<String> arch = m.optionalString("arch");
        if (arch.isPresent()) {
            try {
                b.architecture(Architecture.parse(arch.get()));
            } catch (SpotkeeperException e) {
                throw m.invalid("arch", "must be x86_64 or arm64, was '" + arch.get() + "'");
            }
        }
        m.finish();
        try {
            return b.build();
        } catch (SpotkeeperException e) {
            throw m.invalidHere(e.getMessage());
        }
    }

    private static Map<String, Object> limits(Limits l) {
        Map<String, Object> m = new LinkedHashMap<>();
        l.maxDuration().ifPresent(d -> m.put("maxDuration", d.toString()));
        l.budget().ifPresent(d -> m.put("budget", d));
        l.deadline().ifPresent(d -> m.put("deadline", d.toString()));
        return m;
    }

    private static Limits limits(JsonMembers m) {
        Limits l = new Limits(m.optionalDuration("maxDuration"), m.optionalNumber("budget"),
                m.optionalDuration("deadline"));
        m.finish();
        return l;
    }

    static Map<String, Object> extension(WorkloadExtension e) {
        if (e instanceof JobExtension job) {
            return ordered("setup", job.setup(), "run", job.run(), "checkpoint", checkpoint(job.checkpoint()));
        }
        if (e instanceof ServiceExtension service) {
            DatabaseSpec d = service.database();
            Map<String, Object> db = ordered("engine", d.engine().fileName(), "version", d.version(),
                    "schema", d.schema(), "init", d.init(), "backup", ordered("base", d.backup().base().toString(),
                            "ship", d.backup().ship().toString()));
            if (!d.allowFrom().isEmpty()) {
                db.put("allowFrom", d.allowFrom());
            }
            return ordered("database", db);
        }
        if (e instanceof FleetExtension fleet) {
            FleetExtension.Service service = fleet.service();
            FleetExtension.HealthCheck check = service.healthCheck();
            return ordered("replicas", fleet.replicas(), "onDemandBase", fleet.onDemandBase(),
                    "placement", ordered("strategy", fleet.placement().allocationStrategy(),
                            "pools", fleet.placement().pools()),
                    "service", ordered("port", service.port(), "healthCheck", ordered("path", check.path(),
                            "interval", check.interval().toString(), "healthyThreshold", check.healthyThreshold(),
                            "unhealthyThreshold", check.unhealthyThreshold()), "drain", service.drain().toString()),
                    "setup", fleet.setup(), "run", fleet.run());
        }
        return Map.of();
    }

    /** {@code version}: the document's schema version, since a service of version 1 had no database. */
    static WorkloadExtension extension(JsonMembers m, WorkloadKind kind, long version) {
        WorkloadExtension e = switch (kind) {
            case JOB -> new JobExtension(m.string("setup"), m.string("run"), checkpoint(m.child("checkpoint")));
            case SERVICE -> {
                if (version < 2) {
                    throw m.invalidHere("a service of schemaVersion " + version + " has no database, which every"
                            + " service now has; submit its workload file again");
                }
                yield new ServiceExtension(database(m.child("database")));
            }
            case FLEET -> fleet(m);
        };
        m.finish();
        return e;
    }

    private static java.util.List<String> allowFrom(JsonMembers m) {
        Object v = m.raw("allowFrom");
        if (!(v instanceof java.util.List<?> list) || list.stream().anyMatch(o -> !(o instanceof String))) {
            throw m.invalid("allowFrom", "must be an array of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }

    private static DatabaseSpec database(JsonMembers m) {
        String engineText = m.string("engine");
        DatabaseSpec.Engine engine = null;
        for (DatabaseSpec.Engine candidate : DatabaseSpec.Engine.values()) {
            if (candidate.fileName().equals(engineText)) {
                engine = candidate;
            }
        }
        if (engine == null) {
            throw m.invalid("engine", "must be mariadb or mysql, was '" + engineText + "'");
        }
        String version = m.string("version");
        String schema = m.string("schema");
        String init = m.string("init");
        JsonMembers b = m.child("backup");
        DatabaseSpec d;
        try {
            // allowFrom is written only when given, in the order given: a spec without it reads as before.
            java.util.List<String> allowFrom = m.has("allowFrom") ? allowFrom(m) : java.util.List.of();
            d = new DatabaseSpec(engine, version, schema, init, new DatabaseSpec.Backup(b.duration("base"),
                    b.duration("ship")), allowFrom);
        } catch (IllegalArgumentException e) {
            throw m.invalidHere(e.getMessage());
        }
        b.finish();
        m.finish();
        return d;
    }

    private static FleetExtension fleet(JsonMembers m) {
        JsonMembers p = m.child("placement");
        JsonMembers s = m.child("service");
        JsonMembers h = s.child("healthCheck");
        try {
            FleetExtension.Placement placement = new FleetExtension.Placement(p.string("strategy"),
                    (int) p.integer("pools"));
            FleetExtension.HealthCheck check = new FleetExtension.HealthCheck(h.string("path"), h.duration("interval"),
                    (int) h.integer("healthyThreshold"), (int) h.integer("unhealthyThreshold"));
            FleetExtension.Service service = new FleetExtension.Service((int) s.integer("port"), check,
                    s.duration("drain"));
            FleetExtension fleet = new FleetExtension((int) m.integer("replicas"), (int) m.integer("onDemandBase"),
                    placement, service, m.string("setup"), m.string("run"));
            h.finish();
            s.finish();
            p.finish();
            return fleet;
        } catch (IllegalArgumentException e) {
            throw m.invalidHere("holds a fleet the spec does not allow: " + e.getMessage());
        }
    }

    private static Map<String, Object> checkpoint(CheckpointSpec c) {
        return ordered("dir", c.directory(), "signal", c.signal(), "command", c.command(),
                "syncInterval", c.syncInterval().toString());
    }

    private static CheckpointSpec checkpoint(JsonMembers m) {
        CheckpointSpec c = new CheckpointSpec(m.string("dir"), m.string("signal"), m.string("command"),
                m.duration("syncInterval"));
        m.finish();
        return c;
    }

    private static Set<String> sorted(Set<String> s) {
        return new TreeSet<>(s);
    }

    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
