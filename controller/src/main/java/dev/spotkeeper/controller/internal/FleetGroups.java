package dev.spotkeeper.controller.internal;

import dev.spotkeeper.core.cloud.FleetPort.GroupSpec;
import dev.spotkeeper.core.cloud.FleetPort.TargetSpec;
import dev.spotkeeper.core.workload.FleetExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fleet's spec as the group it asks for: {@code replicas} desired with room for one more (launch before
 * terminate), the on-demand base, the allocation strategy, the target group's health check and drain, a termination
 * hook that outlasts the drain, and user data that runs {@code setup} and {@code run} with the replica's port in
 * {@code $PORT}. The commands travel base64-encoded, never pasted into the script, so no line of theirs can end or
 * change it.
 */
final class FleetGroups {
    /** The listener's port on the load balancer. */
    static final int LISTENER_PORT = 80;
    /** How long past the drain the termination hook waits before Auto Scaling goes on by itself. */
    private static final Duration HOOK_MARGIN = Duration.ofSeconds(60);

    private FleetGroups() {
    }

    static GroupSpec spec(String name, FleetExtension fleet, String region, List<String> zones, List<String> ranking,
                          String imageId, Map<String, String> tags) {
        FleetExtension.Service s = fleet.service();
        FleetExtension.HealthCheck h = s.healthCheck();
        TargetSpec target = new TargetSpec(s.port(), h.path(), h.interval(), h.healthyThreshold(),
                h.unhealthyThreshold(), s.drain(), LISTENER_PORT);
        // Auto Scaling takes 30 s to 7200 s.
        long hook = Math.max(30, Math.min(7200, s.drain().plus(HOOK_MARGIN).toSeconds()));
        return new GroupSpec(name, region, imageId, userData(fleet), ranking, zones, fleet.replicas(),
                fleet.replicas() + 1, fleet.onDemandBase(), fleet.placement().allocationStrategy(), tags, target,
                Duration.ofSeconds(hook), Optional.empty());
    }

    /**
     * The replica's script: its port is the emulator's host port for {@code service.port} when the instance metadata
     * has one (IMDSv2), else {@code service.port} itself, as on AWS.
     */
    static String userData(FleetExtension fleet) {
        int port = fleet.service().port();
        return "#!/bin/sh\n"
                + "e=\"${AWS_EC2_METADATA_SERVICE_ENDPOINT:-http://169.254.169.254}\"\n"
                + "t=$(curl -sf --max-time 2 -X PUT \"$e/latest/api/token\""
                + " -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')\n"
                + "p=$(curl -sf --max-time 2 -H \"X-aws-ec2-metadata-token: $t\""
                + " \"$e/latest/meta-data/spotkeeper/host-port/" + port + "\")\n"
                + "case \"$p\" in ''|*[!0-9]*) p=" + port + " ;; esac\n"
                + "export PORT=\"$p\"\n"
                + "echo " + encode(fleet.setup()) + " | base64 -d > setup.sh\n"
                + "echo " + encode(fleet.run()) + " | base64 -d > run.sh\n"
                + "sh setup.sh || exit 1\n"
                + "exec sh run.sh\n";
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
