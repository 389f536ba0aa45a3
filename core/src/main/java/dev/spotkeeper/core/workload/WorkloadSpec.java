package dev.spotkeeper.core.workload;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.placement.Requirements;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A workload as its owner wrote it: the part every kind has, and the extension of its kind ({@link JobExtension},
 * {@link ServiceExtension}, {@link FleetExtension}), whose type is the kind. {@link WorkloadSpecJson} is its
 * canonical, versioned form in the store. {@code notifications} (the file's {@code notify:}) says who is told about its lifecycle
 * ({@link NotifySpec#NONE}: nobody).
 */
public record WorkloadSpec(
        String name,
        Requirements requirements,
        String strategy,
        Limits limits,
        String image,
        Buckets buckets,
        RelocationSpec relocation,
        WorkloadExtension extension,
        NotifySpec notifications) {

    /**
     * S3 locations; empty strings when not used.
     *
     * @param region the region of the checkpoint bucket, for the transfer and storage prices; empty for the
     *     control plane's region
     */
    public record Buckets(String source, String results, String checkpoints, String region) {
        public Buckets {
            requireNonNull(source, "source is null");
            requireNonNull(results, "results is null");
            requireNonNull(checkpoints, "checkpoints is null");
            requireNonNull(region, "region is null");
        }

        /** Buckets in the control plane's region. */
        public Buckets(String source, String results, String checkpoints) {
            this(source, results, checkpoints, "");
        }
    }

    public WorkloadSpec {
        requireNonNull(name, "name is null");
        requireNonNull(requirements, "requirements is null");
        requireNonNull(strategy, "strategy is null");
        requireNonNull(limits, "limits is null");
        requireNonNull(image, "image is null");
        requireNonNull(buckets, "buckets is null");
        requireNonNull(relocation, "relocation is null");
        requireNonNull(extension, "extension is null");
        requireNonNull(notifications, "notifications is null");
    }

    /** A workload that notifies nobody. */
    public WorkloadSpec(String name, Requirements requirements, String strategy, Limits limits, String image,
                        Buckets buckets, RelocationSpec relocation, WorkloadExtension extension) {
        this(name, requirements, strategy, limits, image, buckets, relocation, extension, NotifySpec.NONE);
    }

    public WorkloadSpec withNotify(NotifySpec n) {
        return new WorkloadSpec(name, requirements, strategy, limits, image, buckets, relocation, extension, n);
    }

    /** The kind, which the extension's type decides. */
    public WorkloadKind kind() {
        return extension.kind();
    }

    /** The job's own part; only for a workload of kind job. */
    public JobExtension job() {
        if (extension instanceof JobExtension job) {
            return job;
        }
        throw new IllegalStateException("workload '" + name + "' is of kind "
                + kind().name().toLowerCase(Locale.ROOT) + ", not job");
    }

    public Optional<Duration> maxDuration() {
        return limits.maxDuration();
    }

    public Optional<Double> budget() {
        return limits.budget();
    }

    public Optional<Duration> deadline() {
        return limits.deadline();
    }

    /** Max price per hour from the requirements, empty when unlimited. */
    public Optional<Double> maxPrice() {
        double p = requirements.maxPricePerHour();
        return Double.isInfinite(p) ? Optional.empty() : Optional.of(p);
    }
}
