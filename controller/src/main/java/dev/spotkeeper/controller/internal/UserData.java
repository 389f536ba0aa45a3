package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.workload.AgentSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The user data script that starts the agent. It names the instance's agent spec (an object the controller wrote
 * next to the workload's checkpoints) and holds no spec text at all, so a spec can neither end a quoted block of
 * the script early nor push it past EC2's limit; it arms a fail-safe shutdown when the workload has a max duration
 * (so an instance the controller lost track of still stops and stops billing), and replaces itself with the agent.
 */
final class UserData {
    /** EC2 refuses user data above 16 KB (before base64). */
    static final int EC2_LIMIT = 16 * 1024;

    private UserData() {
    }

    /** @param agentSpec empty for a workload with no checkpoint location, whose agent then says it cannot run */
    static String script(ControllerConfig config, String workload, int generation,
                         Optional<AgentSpec.Location> agentSpec, Optional<Duration> failSafe) {
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n");
        s.append("# spotkeeper: workload ").append(workload).append(", generation ").append(generation).append('\n');
        failSafe.ifPresent(d -> {
            // shutdown(8) only: user data runs as root on EC2, and the local emulator gives each instance a shutdown
            // of its own that terminates that instance. Never `kill $$`: this shell exec's the agent, and when the
            // timer fires the pid may belong to any other process.
            s.append("( sleep ").append(Math.max(1, d.toSeconds())).append(" && shutdown -h now ) &\n");
        });
        s.append("exec ").append(config.agentCommand()).append(" agent --workload ").append(workload);
        agentSpec.ifPresent(at -> s.append(" --agent-spec ").append(quoted(at.url())));
        if (!config.agentArgs().isBlank()) {
            s.append(' ').append(config.agentArgs().strip());
        }
        s.append('\n');
        String script = s.toString();
        int size = script.getBytes(StandardCharsets.UTF_8).length;
        if (size > EC2_LIMIT) {
            throw SpotkeeperException.invalidArgument("the user data that starts the agent would be " + size
                    + " bytes, above EC2's limit of " + EC2_LIMIT + ": shorten the controller's agent command and"
                    + " agent options (it holds nothing else of size)");
        }
        return script;
    }

    /** One shell word, whatever the text holds: single quotes, each {@code '} written as {@code '\''}. */
    static String quoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
