package dev.spotkeeper.core.workload;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.Architecture;
import dev.spotkeeper.core.market.InstanceCatalog;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.core.placement.Requirements;
import dev.spotkeeper.core.placement.Strategies;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a parsed workload file into a {@link WorkloadSpec}, refusing unknown keys and wrong values by line, and
 * requirements that no instance type of the shipped catalog can meet.
 */
public final class WorkloadSpecReader {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
    /**
     * The shortest maxDuration: the controller asks for the checkpoint up to 30 s before the limit, so a shorter
     * limit would leave the job hardly any time to run.
     */
    static final Duration SHORTEST_MAX_DURATION = Duration.ofMinutes(1);

    private WorkloadSpecReader() {
    }

    public static WorkloadSpec read(String file, SpecNode document) {
        return read(file, document, true);
    }

    /**
     * A spec accepted at submit, read again (by the controller, by the agent on its instance): every check but
     * those against the shipped catalog, which were made at submit and would cost each agent start the parse of
     * the catalog.
     */
    public static WorkloadSpec readAccepted(String file, SpecNode document) {
        return read(file, document, false);
    }

    private static WorkloadSpec read(String file, SpecNode document, boolean catalogChecks) {
        SpecFields root = new SpecFields(file, "", document);
        String name = root.requiredString("name");
        if (!NAME.matcher(name).matches()) {
            throw root.invalid("name", "must be 1-63 lowercase letters, digits and '-' (it names buckets and tags); was '" + name + "'");
        }
        WorkloadKind kind = root.choice("kind", WorkloadKind.class, WorkloadKind.JOB);
        double maxPrice = root.number("maxPrice", Double.POSITIVE_INFINITY, 0.0001);
        Requirements requirements = requirements(root.child("requirements"), maxPrice, catalogChecks);
        SpecFields placement = root.child("placement");
        String strategy;
        FleetExtension.Placement fleetPlacement = null;
        if (kind == WorkloadKind.FLEET) {
            fleetPlacement = FleetSpecReader.placement(placement);
            strategy = FleetSpecReader.rankingStrategy(placement);
            placement.finish();
        } else {
            strategy = strategy(placement);
        }
        Optional<Duration> maxDuration = optionalDuration(root, "maxDuration");
        if (maxDuration.isPresent() && maxDuration.get().compareTo(SHORTEST_MAX_DURATION) < 0) {
            throw root.invalid("maxDuration", "must be at least 1m: spotkeeper takes up to 30 s before the limit to"
                    + " ask the job for a checkpoint and save it, so a shorter limit leaves the job no time to run;"
                    + " was " + root.string("maxDuration", ""));
        }
        Optional<Double> budget = root.has("budget") ? Optional.of(root.number("budget", 0, 0.01)) : Optional.empty();
        Optional<Duration> deadline = optionalDuration(root, "deadline");
        String image = root.string("image", "default");
        SpecFields b = root.child("buckets");
        WorkloadSpec.Buckets buckets = new WorkloadSpec.Buckets(bucket(b, "source"), bucket(b, "results"),
                bucket(b, "checkpoints"), region(b));
        b.finish();
        WorkloadExtension extension;
        RelocationSpec relocation;
        NotifySpec notify;
        if (kind == WorkloadKind.SERVICE) {
            for (String jobKey : List.of("setup", "run", "checkpoint")) {
                if (root.has(jobKey)) {
                    throw root.invalid(jobKey, "is for kind: job; a service runs its database (database:), not a"
                            + " command; remove " + jobKey);
                }
            }
            if (!root.has("database")) {
                throw root.invalid("database", "is required for kind: service; add for example `database: {engine:"
                        + " mariadb, version: \"10.11\", schema: app}`");
            }
            extension = new ServiceExtension(database(root.child("database"), name));
            relocation = relocation(root.child("relocation"));
            notify = NotifySpecReader.read(file, root.child("notify"));
            root.finish();
        } else {
            if (root.has("database")) {
                throw root.invalid("database", "is for kind: service; add `kind: service` (and remove run) or"
                        + " remove database");
            }
            String setup = root.string("setup", "");
            String run = root.requiredString("run");
            if (kind == WorkloadKind.FLEET) {
                relocation = relocation(root.child("relocation"));
                notify = NotifySpecReader.read(file, root.child("notify"));
                // unknown keys first: a misspelt "replicas" is better named as such than as a missing one
                FleetSpecReader.declareKeys(root);
                root.finish();
                extension = FleetSpecReader.extension(root, fleetPlacement, setup, run);
            } else {
                CheckpointSpec checkpoint = checkpoint(root.child("checkpoint"));
                extension = new JobExtension(setup, run, checkpoint);
                relocation = relocation(root.child("relocation"));
                notify = NotifySpecReader.read(file, root.child("notify"));
                root.finish();
            }
        }
        return new WorkloadSpec(name, requirements, strategy, new Limits(maxDuration, budget, deadline), image,
                buckets, relocation, extension, notify);
    }

    /** The default period of the physical base backup. */
    static final Duration DEFAULT_BASE_BACKUP = Duration.ofHours(6);
    /** The default period of binary-log shipping: the most writes a loss without warning can cost. */
    static final Duration DEFAULT_SHIP = Duration.ofSeconds(2);

    private static DatabaseSpec database(SpecFields d, String workload) {
        DatabaseSpec.Engine engine = d.choice("engine", DatabaseSpec.Engine.class, DatabaseSpec.Engine.MARIADB);
        String version = d.string("version", "10.11").trim();
        if (!DatabaseSpec.VERSION.matcher(version).matches()) {
            throw d.invalid("version", "must be the server's major.minor version, quoted, like \"10.11\" or"
                    + " \"8.0\"; was '" + version + "'");
        }
        String schema = d.string("schema", workload.replace('-', '_'));
        if (!DatabaseSpec.SCHEMA.matcher(schema).matches()) {
            throw d.invalid("schema", "must start with a letter or '_' and hold up to 32 letters, digits and '_'"
                    + " (it also names the application user); was '" + schema + "'");
        }
        String init = d.string("init", "");
        if (!init.isEmpty() && !DatabaseSpec.isRelativePath(init)) {
            throw d.invalid("init", "must be the path of a SQL file relative to the work directory (where"
                    + " buckets.source is copied), like schema.sql or sql/init.sql; was '" + init + "'");
        }
        List<String> allowFrom = new java.util.ArrayList<>();
        for (SpecFields.Item source : d.items("allowFrom")) {
            java.util.Optional<String> why = dev.spotkeeper.core.cloud.SecurityGroupPort.malformed(source.text());
            if (why.isPresent()) {
                throw d.invalidAt(source.line(), "allowFrom", "must name who may connect to the database: a security"
                        + " group (sg-0123456789abcdef0) or an IPv4 CIDR block (10.0.0.0/16); " + why.get());
            }
            allowFrom.add(source.text());
        }
        SpecFields b = d.child("backup");
        Duration base = b.duration("base", DEFAULT_BASE_BACKUP);
        if (base.compareTo(Duration.ofMinutes(1)) < 0) {
            throw b.invalid("base", "must be at least 1m (a base backup copies the whole data directory); was "
                    + b.string("base", ""));
        }
        Duration ship = b.duration("ship", DEFAULT_SHIP);
        if (ship.compareTo(Duration.ofSeconds(1)) < 0 || ship.compareTo(base) >= 0) {
            throw b.invalid("ship", "must be from 1s and shorter than backup.base (" + base + "); it bounds the"
                    + " writes a loss without warning can cost, so keep it short, like 2s; was " + b.string("ship", ""));
        }
        b.finish();
        d.finish();
        return new DatabaseSpec(engine, version, schema, init, new DatabaseSpec.Backup(base, ship), allowFrom);
    }

    private static Optional<Duration> optionalDuration(SpecFields f, String key) {
        if (!f.has(key) || f.string(key, "").equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        Duration d = f.duration(key, Duration.ZERO);
        if (d.isZero() || d.isNegative()) {
            throw f.invalid(key, "must be a positive duration");
        }
        return Optional.of(d);
    }

    private static Requirements requirements(SpecFields r, double maxPrice, boolean catalogChecks) {
        List<SpecFields.Item> types = r.items("types");
        List<SpecFields.Item> excludedTypes = r.items("excludeTypes");
        List<SpecFields.Item> families = r.items("families");
        List<SpecFields.Item> excludedFamilies = r.items("excludeFamilies");
        List<SpecFields.Item> regions = r.items("regions");
        CatalogCheck check = null;
        if (catalogChecks) {
            InstanceCatalog catalog = ShippedMarket.catalog();
            check = new CatalogCheck(r, catalog);
            check.knownTypes("types", types);
            check.knownTypes("excludeTypes", excludedTypes);
            check.knownFamilies("families", families);
            check.knownFamilies("excludeFamilies", excludedFamilies);
            check.knownRegions("regions", regions, ShippedMarket.spotAdvisor().linuxByRegion().keySet());
        }
        Requirements.Builder b = Requirements.builder()
                .vcpus(r.integer("vcpus", 0))
                .memoryGib(r.number("memory", 0, 0))
                .gpus(r.integer("gpus", 0))
                .types(texts(types))
                .excludedTypes(texts(excludedTypes))
                .families(texts(families))
                .excludedFamilies(texts(excludedFamilies))
                .regions(texts(regions))
                .zones(new LinkedHashSet<>(r.strings("azs")))
                .maxPricePerHour(maxPrice);
        String arch = r.string("arch", null);
        if (arch != null) {
            try {
                b.architecture(Architecture.parse(arch));
            } catch (SpotkeeperException e) {
                throw r.invalid("arch", "must be x86_64 or arm64; was '" + arch + "'");
            }
        }
        r.finish();
        Requirements requirements = b.build();
        if (check != null) {
            check.satisfiable(requirements);
        }
        return requirements;
    }

    private static Set<String> texts(List<SpecFields.Item> items) {
        Set<String> out = new LinkedHashSet<>();
        items.forEach(i -> out.add(i.text()));
        return out;
    }

    private static String strategy(SpecFields p) {
        String s = checkedStrategy(p, p.string("strategy", Strategies.EXPECTED_COST.name()));
        p.finish();
        return s;
    }

    /** A spotkeeper strategy name, refused at its line when unknown. */
    static String checkedStrategy(SpecFields p, String s) {
        try {
            Strategies.byName(s);
        } catch (SpotkeeperException e) {
            throw p.invalid("strategy", e.getMessage().replaceFirst("^unknown strategy", "is an unknown strategy"));
        }
        return s;
    }

    private static String bucket(SpecFields b, String key) {
        String s = b.string(key, "");
        if (s.isEmpty()) {
            return s;
        }
        if (!s.startsWith("s3://")) {
            throw b.invalid(key, "must be an S3 URL like s3://my-bucket/prefix; was '" + s + "'");
        }
        String rest = s.substring("s3://".length());
        String bucket = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        Optional<String> problem = BucketNames.problem(bucket);
        if (problem.isPresent()) {
            throw b.invalid(key, "names the bucket '" + bucket + "', which is not a valid S3 bucket name: it "
                    + problem.get() + " (S3 bucket naming rules); write it like s3://my-team-checkpoints/prefix");
        }
        if (rest.chars().anyMatch(Character::isWhitespace)) {
            throw b.invalid(key, "must not hold spaces; was '" + s + "'");
        }
        return s;
    }

    private static String region(SpecFields b) {
        String s = b.string("region", "");
        if (!s.isEmpty() && !REGION.matcher(s).matches()) {
            throw b.invalid("region", "must be an AWS region name like us-east-1 (the checkpoint bucket's region);"
                    + " was '" + s + "'");
        }
        return s;
    }

    private static CheckpointSpec checkpoint(SpecFields c) {
        String dir = c.string("dir", "checkpoint");
        String signal = c.string("signal", "");
        String command = c.string("command", "");
        if (!signal.isEmpty() && !command.isEmpty()) {
            throw c.invalid("command", "cannot be set together with signal: choose how the job is asked for a checkpoint");
        }
        if (!signal.isEmpty()) {
            CheckpointSignals.problem(signal).ifPresent(problem -> {
                throw c.invalid("signal", problem);
            });
        }
        Duration sync = c.duration("syncInterval", Duration.ofMinutes(5));
        c.finish();
        return new CheckpointSpec(dir, signal, command, sync);
    }

    private static RelocationSpec relocation(SpecFields r) {
        Duration every = r.duration("every", Duration.ZERO);
        double minGain = r.number("minGain", 0.2, 0);
        if (minGain >= 1) {
            throw r.invalid("minGain", "is a fraction of the current price (0.15 = 15 %), below 1; was " + minGain);
        }
        r.finish();
        return new RelocationSpec(every, minGain);
    }
}
