package dev.spotkeeper.core.workload;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.SpotkeeperException;

/**
 * What the agent on one instance needs of its workload, and nothing else: the buckets and the kind's extension
 * (for a job: setup, run and how it checkpoints). The controller writes it as an object next to the workload's
 * checkpoints ({@link #location}) before the launch, and user data names only that object, so user data stays small
 * and no spec text ever reaches the shell. {@link AgentSpecJson} is its versioned form.
 *
 * @param generation the instance's generation: each launch has its own object, so a relaunch never reads a spec
 *     meant for another
 */
public record AgentSpec(String workload, int generation, WorkloadSpec.Buckets buckets, WorkloadExtension work) {
    /** The folder below a workload's checkpoint prefix that holds its agent specs, apart from the checkpoints. */
    public static final String FOLDER = "agent-spec/";

    public AgentSpec {
        requireNonNull(workload, "workload is null");
        requireNonNull(buckets, "buckets is null");
        requireNonNull(work, "work is null");
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be 1 or more, was " + generation);
        }
    }

    /** The agent spec of the workload's instance of that generation. */
    public static AgentSpec of(WorkloadSpec spec, int generation) {
        return new AgentSpec(spec.name(), generation, spec.buckets(), spec.extension());
    }

    public WorkloadKind kind() {
        return work.kind();
    }

    /** Where the object is: {@code <checkpoints>/<workload>/agent-spec/<generation>.json}. */
    public Location location() {
        return location(buckets.checkpoints(), workload, generation);
    }

    /**
     * Where the agent spec of that generation is, below the workload's checkpoint prefix (as the agent lays out the
     * checkpoints: {@code <prefix>/<workload>/}), in a folder the checkpoint store does not read.
     */
    public static Location location(String checkpoints, String workload, int generation) {
        if (!checkpoints.startsWith("s3://") || checkpoints.length() <= "s3://".length()) {
            throw SpotkeeperException.invalidArgument("workload '" + workload + "' has no checkpoint location"
                    + " (buckets.checkpoints, an s3:// URL), where its instances' specs are kept; was '"
                    + checkpoints + "'");
        }
        String rest = checkpoints.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix += "/";
        }
        return new Location(bucket, prefix + workload + "/" + FOLDER + generation + ".json");
    }

    /** An S3 object: its bucket and key. */
    public record Location(String bucket, String key) {
        public Location {
            requireNonNull(bucket, "bucket is null");
            requireNonNull(key, "key is null");
        }

        /** Reads {@code s3://bucket/key}. */
        public static Location parse(String url) {
            String rest = url.startsWith("s3://") ? url.substring("s3://".length()) : "";
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                throw SpotkeeperException.invalidArgument("an agent spec is named by an S3 URL like"
                        + " s3://bucket/prefix/train/agent-spec/1.json; was '" + url + "'");
            }
            return new Location(rest.substring(0, slash), rest.substring(slash + 1));
        }

        public String url() {
            return "s3://" + bucket + "/" + key;
        }

        @Override
        public String toString() {
            return url();
        }
    }
}
