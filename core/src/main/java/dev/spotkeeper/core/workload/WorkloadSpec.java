package dev.spotkeeper.core.workload;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.placement.Requirements;
import java.time.Duration;
import java.util.Optional;

/**
 * A workload as its owner wrote it. Optional limits are empty when not set.
 *
 * @param deadline time from submission by which the work must finish
 */
public record WorkloadSpec(
        String name,
        WorkloadKind kind,
        Requirements requirements,
        String strategy,
        Optional<Duration> maxDuration,
        Optional<Double> budget,
        Optional<Duration> deadline,
        String image,
        Buckets buckets,
        String setup,
        String run,
        CheckpointSpec checkpoint,
        RelocationSpec relocation) {

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
        requireNonNull(kind, "kind is null");
        requireNonNull(requirements, "requirements is null");
        requireNonNull(strategy, "strategy is null");
        requireNonNull(maxDuration, "maxDuration is null");
        requireNonNull(budget, "budget is null");
        requireNonNull(deadline, "deadline is null");
        requireNonNull(image, "image is null");
        requireNonNull(buckets, "buckets is null");
        requireNonNull(setup, "setup is null");
        requireNonNull(run, "run is null");
        requireNonNull(checkpoint, "checkpoint is null");
        requireNonNull(relocation, "relocation is null");
    }

    /** Max price per hour from the requirements, empty when unlimited. */
    public Optional<Double> maxPrice() {
        double p = requirements.maxPricePerHour();
        return Double.isInfinite(p) ? Optional.empty() : Optional.of(p);
    }
}
