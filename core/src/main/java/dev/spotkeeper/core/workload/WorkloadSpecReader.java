package dev.spotkeeper.core.workload;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.Architecture;
import dev.spotkeeper.core.placement.Requirements;
import dev.spotkeeper.core.placement.Strategies;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.regex.Pattern;

/** Turns a parsed workload file into a {@link WorkloadSpec}, refusing unknown keys and wrong values by line. */
public final class WorkloadSpecReader {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");

    private WorkloadSpecReader() {
    }

    public static WorkloadSpec read(String file, SpecNode document) {
        SpecFields root = new SpecFields(file, "", document);
        String name = root.requiredString("name");
        if (!NAME.matcher(name).matches()) {
            throw root.invalid("name", "must be 1-63 lowercase letters, digits and '-' (it names buckets and tags); was '" + name + "'");
        }
        WorkloadKind kind = root.choice("kind", WorkloadKind.class, WorkloadKind.JOB);
        double maxPrice = root.number("maxPrice", Double.POSITIVE_INFINITY, 0.0001);
        Requirements requirements = requirements(root.child("requirements"), maxPrice);
        String strategy = strategy(root.child("placement"));
        Optional<Duration> maxDuration = optionalDuration(root, "maxDuration");
        Optional<Double> budget = root.has("budget") ? Optional.of(root.number("budget", 0, 0.01)) : Optional.empty();
        Optional<Duration> deadline = optionalDuration(root, "deadline");
        String image = root.string("image", "default");
        SpecFields b = root.child("buckets");
        WorkloadSpec.Buckets buckets = new WorkloadSpec.Buckets(bucket(b, "source"), bucket(b, "results"),
                bucket(b, "checkpoints"), region(b));
        b.finish();
        String setup = root.string("setup", "");
        String run = root.requiredString("run");
        CheckpointSpec checkpoint = checkpoint(root.child("checkpoint"));
        RelocationSpec relocation = relocation(root.child("relocation"));
        root.finish();
        return new WorkloadSpec(name, kind, requirements, strategy, maxDuration, budget, deadline, image, buckets,
                setup, run, checkpoint, relocation);
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

    private static Requirements requirements(SpecFields r, double maxPrice) {
        Requirements.Builder b = Requirements.builder()
                .vcpus(r.integer("vcpus", 0))
                .memoryGib(r.number("memory", 0, 0))
                .gpus(r.integer("gpus", 0))
                .types(new LinkedHashSet<>(r.strings("types")))
                .excludedTypes(new LinkedHashSet<>(r.strings("excludeTypes")))
                .families(new LinkedHashSet<>(r.strings("families")))
                .excludedFamilies(new LinkedHashSet<>(r.strings("excludeFamilies")))
                .regions(new LinkedHashSet<>(r.strings("regions")))
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
        return b.build();
    }

    private static String strategy(SpecFields p) {
        String s = p.string("strategy", Strategies.EXPECTED_COST.name());
        try {
            Strategies.byName(s);
        } catch (SpotkeeperException e) {
            throw p.invalid("strategy", e.getMessage().replaceFirst("^unknown strategy", "is an unknown strategy"));
        }
        p.finish();
        return s;
    }

    private static String bucket(SpecFields b, String key) {
        String s = b.string(key, "");
        if (!s.isEmpty() && !s.startsWith("s3://")) {
            throw b.invalid(key, "must be an S3 URL like s3://my-bucket/prefix; was '" + s + "'");
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
        if (!signal.isEmpty() && !signal.matches("(SIG)?[A-Z0-9]+")) {
            throw c.invalid("signal", "must be a signal name like SIGUSR1 or TERM; was '" + signal + "'");
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
