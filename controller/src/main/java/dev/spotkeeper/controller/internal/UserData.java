package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * The user data script that starts the agent. It writes the workload's spec next to the agent, arms a fail-safe
 * shutdown when the workload has a max duration (so an instance the controller lost track of still stops and
 * stops billing), and replaces itself with the agent.
 */
final class UserData {
    private UserData() {
    }

    static String script(ControllerConfig config, String workload, int generation, String specText,
                         Optional<Duration> failSafe) {
        // In the directory user data runs in: on the emulator that is the instance's own work directory, as
        // instances there share this machine's /tmp.
        String specFile = "spotkeeper-" + workload + "-" + generation + ".yaml";
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n");
        s.append("# spotkeeper: workload ").append(workload).append(", generation ").append(generation).append('\n');
        s.append("cat > ").append(specFile).append(" <<'SPOTKEEPER_SPEC_END'\n");
        s.append(specText.endsWith("\n") ? specText : specText + "\n");
        s.append("SPOTKEEPER_SPEC_END\n");
        failSafe.ifPresent(d -> {
            // shutdown(8) only: user data runs as root on EC2, and the local emulator gives each instance a shutdown
            // of its own that terminates that instance. Never `kill $$`: this shell exec's the agent, and when the
            // timer fires the pid may belong to any other process.
            s.append("( sleep ").append(Math.max(1, d.toSeconds())).append(" && shutdown -h now ) &\n");
        });
        s.append("exec ").append(config.agentCommand()).append(" agent --workload ").append(workload)
                .append(" --spec ").append(specFile);
        if (!config.agentArgs().isBlank()) {
            s.append(' ').append(config.agentArgs().strip());
        }
        s.append('\n');
        return s.toString();
    }
}
