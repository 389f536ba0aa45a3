package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spotkeeper chaos} on a fleet, on the local control plane as a user runs it: three replicas in one pool, two
 * of them interrupted at once through the FIS API ({@code --same-pool 2}); the line says the warning, the
 * replacement's request, the capacity's minimum, the time back to three, and the requests a client saw fail.
 */
class FleetChaosCommandTest {
    private static final String SPEC = """
            name: chaos-web
            kind: fleet
            replicas: 3
            requirements: {regions: [us-east-1], types: [m5.large], azs: [us-east-1a]}
            placement: {strategy: price-capacity-optimized, pools: 1}
            service:
              port: 8080
              healthCheck: {path: /, interval: 5s, healthyThreshold: 2, unhealthyThreshold: 2}
              drain: 5s
            run: exec python3 -m http.server "$PORT" --bind 127.0.0.1
            """;
    private static final Pattern LINE = Pattern.compile("interruption 1: (i-\\w+), (i-\\w+)"
            + " \\(us-east-1/us-east-1a/m5\\.large\\): warning \\+([0-9.]+) s → replacement requested \\+([0-9.]+) s"
            + " → 3 replicas back \\+([0-9.]+) s; capacity min (\\d) of 3; (\\d+) failed requests of (\\d+)"
            + " \\(a client at 20/s through http://127\\.0\\.0\\.1:\\d+/\\)");

    @TempDir
    Path dir;

    private PlaneHome plane;

    @BeforeEach
    void home() {
        Assumptions.assumeTrue(JobBackends.isLocal(new DeploymentOptions()), "AWS credentials in the environment");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/haproxy")), "HAProxy is not installed");
        plane = PlaneHome.in(dir.resolve("home"));
    }

    @AfterEach
    void stopWhateverRuns() {
        if (plane != null) {
            plane.close();
        }
    }

    @Test
    void chaos_twoMembersOfOnePoolAtOnce_reportsCapacityMinimumRestoreAndFailedRequests() throws IOException {
        Path spec = dir.resolve("chaos-web.yaml");
        Files.writeString(spec, SPEC);
        assertThat(CliRun.of("local", "start", "--interval", "0.2").exitCode()).isZero();
        CliRun submitted = CliRun.of("run", spec.toString(), "--detach");
        assertThat(submitted.exitCode()).as(submitted.all()).isZero();

        CliRun tooMany = CliRun.of("chaos", "chaos-web", "--interruptions", "1", "--same-pool", "4");
        assertThat(tooMany.exitCode()).as(tooMany.all()).isEqualTo(2);
        assertThat(tooMany.err()).contains("--same-pool must be 1 to the fleet's replicas (3), was 4");

        CliRun chaos = CliRun.of("chaos", "chaos-web", "--interruptions", "1", "--same-pool", "2", "--wait", "3m");

        assertThat(chaos.exitCode()).as(chaos.all()).isZero();
        List<String> lines = chaos.out().lines().filter(l -> l.startsWith("interruption ")).toList();
        assertThat(lines).as(chaos.all()).hasSize(1);
        // The figures, for the build's log.
        System.out.println(lines.get(0));
        Matcher m = LINE.matcher(lines.get(0));
        assertThat(m.matches()).as(lines.get(0)).isTrue();
        assertThat(m.group(1)).isNotEqualTo(m.group(2));
        double warning = Double.parseDouble(m.group(3));
        double requested = Double.parseDouble(m.group(4));
        double back = Double.parseDouble(m.group(5));
        assertThat(requested).isGreaterThanOrEqualTo(warning);
        assertThat(back).isGreaterThan(requested).isLessThanOrEqualTo(180);
        // Two of three left at once: at most the third served healthy meanwhile.
        assertThat(Integer.parseInt(m.group(6))).isLessThanOrEqualTo(1);
        assertThat(Integer.parseInt(m.group(8))).isPositive();
        assertThat(Integer.parseInt(m.group(7))).isLessThanOrEqualTo(Integer.parseInt(m.group(8)));
        assertThat(chaos.out()).contains("chaos-web came through 1 interruption(s); it is running");
        assertThat(CliRun.of("cancel", "chaos-web").exitCode()).isZero();
    }
}
