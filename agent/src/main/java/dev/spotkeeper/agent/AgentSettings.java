package dev.spotkeeper.agent;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.agent.s3.S3Location;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything {@code spotkeeper agent} needs, as the controller's user data passes it.
 *
 * @param instanceId empty: read it from IMDS
 * @param watchImds false for runs outside EC2 (no interruption notices, no evacuation tag)
 */
public record AgentSettings(String workload, Path workDir, Path checkpointDir, Path resultsDir,
                            Optional<S3Location> checkpoints, Optional<S3Location> source, Optional<S3Location> results,
                            String setup, String run, String signal, String checkpointCommand, Duration syncInterval,
                            Optional<String> queueUrl, Optional<String> instanceId, boolean watchImds) {
    public AgentSettings {
        requireNonNull(workload, "workload is null");
        requireNonNull(workDir, "workDir is null");
        requireNonNull(checkpointDir, "checkpointDir is null");
        requireNonNull(resultsDir, "resultsDir is null");
        requireNonNull(checkpoints, "checkpoints is null");
        requireNonNull(source, "source is null");
        requireNonNull(results, "results is null");
        requireNonNull(setup, "setup is null");
        requireNonNull(run, "run is null");
        requireNonNull(signal, "signal is null");
        requireNonNull(checkpointCommand, "checkpointCommand is null");
        requireNonNull(syncInterval, "syncInterval is null");
        requireNonNull(queueUrl, "queueUrl is null");
        requireNonNull(instanceId, "instanceId is null");
    }
}
