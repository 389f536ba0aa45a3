package dev.spotkeeper.spec.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.workload.FleetExtension;
import dev.spotkeeper.core.workload.WorkloadKind;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.core.workload.WorkloadSpecJson;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code kind: fleet} files: read into the fleet extension, kept through the canonical JSON, refused by line. */
class FleetSpecTest {
    static final String WEB = """
            name: web
            kind: fleet
            replicas: 4
            onDemandBase: 1
            requirements: {vcpus: 2, memory: 4, regions: [us-east-1]}
            placement: {strategy: price-capacity-optimized, pools: 9}
            service:
              port: 8080
              healthCheck: {path: /health, interval: 5s, healthyThreshold: 2, unhealthyThreshold: 2}
              drain: 120s
            run: python3 -m http.server "$PORT"
            """;

    @Test
    void parse_theIssuesWebFleet() {
        WorkloadSpec spec = YamlSpecs.parse("web.yaml", WEB);

        assertThat(spec.kind()).isEqualTo(WorkloadKind.FLEET);
        FleetExtension fleet = (FleetExtension) spec.extension();
        assertThat(fleet.replicas()).isEqualTo(4);
        assertThat(fleet.onDemandBase()).isEqualTo(1);
        assertThat(fleet.placement()).isEqualTo(new FleetExtension.Placement("price-capacity-optimized", 9));
        assertThat(fleet.service().port()).isEqualTo(8080);
        assertThat(fleet.service().healthCheck()).isEqualTo(new FleetExtension.HealthCheck("/health",
                Duration.ofSeconds(5), 2, 2));
        assertThat(fleet.service().drain()).isEqualTo(Duration.ofSeconds(120));
        assertThat(fleet.run()).isEqualTo("python3 -m http.server \"$PORT\"");
        assertThat(spec.strategy()).isEqualTo("expected-cost");
        assertThat(spec.requirements().regions()).containsExactly("us-east-1");
    }

    @Test
    void canonicalJson_keepsEveryFleetField() {
        WorkloadSpec spec = YamlSpecs.parse("web.yaml", WEB);
        String json = WorkloadSpecJson.write(spec);

        assertThat(WorkloadSpecJson.read("stored", json)).isEqualTo(spec);
        assertThat(json).contains("\"fleet\":{\"replicas\":4,\"onDemandBase\":1");
    }

    @Test
    void defaults_areAwsTargetGroupDefaults() {
        FleetExtension fleet = (FleetExtension) YamlSpecs.parse("min.yaml", """
                name: api
                kind: fleet
                replicas: 2
                service: {port: 9000}
                run: ./serve
                """).extension();

        assertThat(fleet.onDemandBase()).isZero();
        assertThat(fleet.placement()).isEqualTo(new FleetExtension.Placement("price-capacity-optimized", 1));
        assertThat(fleet.service().healthCheck()).isEqualTo(new FleetExtension.HealthCheck("/",
                Duration.ofSeconds(30), 5, 2));
        assertThat(fleet.service().drain()).isEqualTo(Duration.ofSeconds(300));
    }

    private static void refused(String yaml, String... parts) {
        assertThatThrownBy(() -> YamlSpecs.parse("web.yaml", yaml))
                .isInstanceOfSatisfying(SpotkeeperException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FILE);
                    assertThat(e.getMessage()).contains(parts);
                });
    }

    @Test
    void mistakes_areRefusedWithFileLineAndFix() {
        refused(WEB.replace("onDemandBase: 1", "onDemandBase: 7"), "web.yaml:4", "onDemandBase", "at most replicas (4)");
        refused(WEB.replace("replicas: 4", "replicas: 0"), "web.yaml:3", "replicas must be at least 1");
        refused(WEB.replace("replicas: 4\n", ""), "replicas is required for a fleet", "replicas: 4");
        refused(WEB.replace("port: 8080", "port: 80800"), "web.yaml:8", "service.port must be from 1 to 65535");
        refused(WEB.replace("interval: 5s", "interval: 2s"), "web.yaml:9", "service.healthCheck.interval",
                "from 5s to 300s");
        refused(WEB.replace("healthyThreshold: 2,", "healthyThreshold: 20,"), "web.yaml:9", "from 2 to 10");
        refused(WEB.replace("drain: 120s", "drain: 2h"), "web.yaml:10", "service.drain", "from 0s to 1h");
        refused(WEB.replace("pools: 9", "pools: 0"), "web.yaml:6", "placement.pools must be at least 1");
        refused(WEB.replace("price-capacity-optimized", "cheapest"), "web.yaml:6", "placement.strategy",
                "strategy: price-capacity-optimized");
        refused(WEB.replace("  port: 8080\n", ""), "web.yaml:8", "service.port is required", "$PORT");
        refused(WEB.replace("  port: 8080", "  prot: 8080"), "web.yaml:8", "service.prot", "did you mean port?");
        refused(WEB + "checkpoint: {dir: /data}\n", "web.yaml:12", "checkpoint is for jobs");
        refused(WEB.replace("replicas: 4", "replica: 4"), "web.yaml:3", "replica");
    }

    @Test
    void jobFile_withFleetKeys_isRefused() {
        assertThatThrownBy(() -> YamlSpecs.parse("job.yaml", "name: j\nkind: job\nrun: t\nreplicas: 3\n"))
                .isInstanceOf(SpotkeeperException.class).hasMessageContaining("job.yaml:4").hasMessageContaining("replicas");
    }
}
