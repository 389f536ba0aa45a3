package dev.spotkeeper.agent.job;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the job runner runs: {@code setup} then {@code run}, each with {@code /bin/sh -c} in {@code workDir}; how to
 * ask the job for a checkpoint ({@code signal} such as {@code SIGUSR1}, or {@code checkpointCommand}; both empty
 * when the job checkpoints on its own).
 */
public record JobSpec(String workload, Path workDir, Path checkpointDir, Path resultsDir, String setup, String run,
                      String signal, String checkpointCommand, Map<String, String> extraEnv) {
    public JobSpec {
        requireNonNull(workload, "workload is null");
        requireNonNull(workDir, "workDir is null");
        requireNonNull(checkpointDir, "checkpointDir is null");
        requireNonNull(resultsDir, "resultsDir is null");
        requireNonNull(setup, "setup is null");
        requireNonNull(run, "run is null");
        requireNonNull(signal, "signal is null");
        requireNonNull(checkpointCommand, "checkpointCommand is null");
        extraEnv = Map.copyOf(extraEnv);
    }
}
