package dev.spotkeeper.core.cloud;

import java.util.List;
import java.util.Map;

/**
 * Launches, finds, tags and terminates instances. Failures are {@code SpotkeeperException}s with the EC2 error
 * translated (INSUFFICIENT_CAPACITY, SPOT_PRICE_TOO_LOW, QUOTA_EXCEEDED, THROTTLED, …); no SDK type crosses.
 */
public interface ComputePort {
    /** Launches one instance through a launch template that requires IMDSv2 and enables instance metadata tags. */
    CloudInstance launch(LaunchRequest request);

    /** Every instance in {@code region} carrying all of {@code tags}, in any state but terminated. */
    List<CloudInstance> find(String region, Map<String, String> tags);

    void tag(String region, String instanceId, Map<String, String> tags);

    /** Terminates; terminating an instance that is already gone is not an error. */
    void terminate(String region, String instanceId);

    /** The instance's console output (the agent's and the job's log), empty when none yet. */
    String consoleOutput(String region, String instanceId);
}
