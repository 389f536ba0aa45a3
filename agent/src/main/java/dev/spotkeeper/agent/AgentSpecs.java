package dev.spotkeeper.agent;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.workload.AgentSpec;
import dev.spotkeeper.core.workload.AgentSpecJson;
import dev.spotkeeper.core.workload.JobExtension;
import dev.spotkeeper.core.workload.ServiceExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the agent spec that user data names: the object the controller wrote in the checkpoint bucket
 * ({@code s3://...}), or a local file of one. Only the versioned JSON: the agent never reads a workload file.
 */
public final class AgentSpecs {
    private AgentSpecs() {
    }

    /** The agent spec at {@code location} for {@code workload}, which must be a job's or a service's. */
    public static AgentSpec read(String location, String workload, Map<String, String> env) {
        AgentSpec spec = AgentSpecJson.read(location, text(location, env));
        if (!spec.workload().equals(workload)) {
            throw SpotkeeperException.invalidArgument("the agent spec at " + location + " is workload '"
                    + spec.workload() + "''s, not '" + workload + "''s: give the --workload it names");
        }
        if (!(spec.work() instanceof JobExtension) && !(spec.work() instanceof ServiceExtension)) {
            throw SpotkeeperException.invalidArgument("the agent spec at " + location + " is of kind "
                    + spec.kind().name().toLowerCase(Locale.ROOT) + "; this agent runs jobs and services only");
        }
        return spec;
    }

    private static String text(String location, Map<String, String> env) {
        if (location.startsWith("s3://")) {
            AgentSpec.Location at = AgentSpec.Location.parse(location);
            byte[] bytes = AgentClients.getObject(env, at.bucket(), at.key()).orElseThrow(() ->
                    SpotkeeperException.invalidArgument("no agent spec at " + location + " (the controller writes"
                            + " it before the launch; was the object deleted?)"));
            return new String(bytes, StandardCharsets.UTF_8);
        }
        try {
            return Files.readString(Path.of(location));
        } catch (IOException e) {
            throw SpotkeeperException.invalidArgument("cannot read the agent spec " + location + ": " + e.getMessage());
        }
    }
}
