package dev.spotkeeper.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spotkeeper.core.cloud.FleetPort.GroupSpec;
import dev.spotkeeper.core.workload.FleetExtension;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetGroupsTest {
    private static FleetExtension fleet(String setup, String run) {
        return new FleetExtension(4, 1, new FleetExtension.Placement("capacity-optimized", 9),
                new FleetExtension.Service(8080, new FleetExtension.HealthCheck("/health", Duration.ofSeconds(5), 2, 3),
                        Duration.ofSeconds(120)), setup, run);
    }

    @Test
    void spec_asksForReplicasWithRoomForOneMore_andAHookThatOutlastsTheDrain() {
        GroupSpec g = FleetGroups.spec("web", fleet("", "true"), "us-east-1", List.of("us-east-1a", "us-east-1b"),
                List.of("m5.large", "m6i.large"), "ami-1", Map.of("spotkeeper:workload", "web"));

        assertThat(g.desired()).isEqualTo(4);
        assertThat(g.maxSize()).isEqualTo(5);
        assertThat(g.onDemandBase()).isEqualTo(1);
        assertThat(g.allocationStrategy()).isEqualTo("capacity-optimized");
        assertThat(g.instanceTypes()).containsExactly("m5.large", "m6i.large");
        assertThat(g.target().port()).isEqualTo(8080);
        assertThat(g.target().healthPath()).isEqualTo("/health");
        assertThat(g.target().unhealthyThreshold()).isEqualTo(3);
        assertThat(g.target().deregistrationDelay()).isEqualTo(Duration.ofSeconds(120));
        assertThat(g.terminationHeartbeat()).isGreaterThan(Duration.ofSeconds(120));
    }

    @Test
    void userData_runsTheCommandsAsWritten_withThePortInPort_whateverTheirLines(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is needed by the replica's script");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String run = "echo \"port=$PORT\" > out\nprintf '%s\\n' 'EOF' \"'\" '$(date)' >> out\n";
        Path script = dir.resolve("user-data");
        Files.writeString(script, FleetGroups.userData(fleet("echo set > setup.out", run)));

        ProcessBuilder pb = new ProcessBuilder("sh", script.toString()).directory(dir.toFile());
        // No metadata answers here (a closed loopback port): the replica falls back to service.port.
        pb.environment().put("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + closed);
        Process p = pb.start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(dir.resolve("setup.out")).trim()).isEqualTo("set");
        assertThat(Files.readAllLines(dir.resolve("out"), StandardCharsets.UTF_8))
                .containsExactly("port=8080", "EOF", "'", "$(date)");
    }
}
