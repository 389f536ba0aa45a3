package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.cli.Main;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.cloud.FleetPort;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code status}, {@code endpoint} and {@code cost} of a fleet, on the in-memory backend and its in-memory fleet. */
class FleetCommandsTest {
    private static final String SPEC = """
            name: web
            kind: fleet
            replicas: 2
            requirements:
              regions: [us-east-1]
            service:
              port: 8080
              healthCheck: {path: /health, interval: 5s}
              drain: 30s
            run: python3 -m http.server "$PORT"
            """;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private InMemoryBackend backend;
    private Function<DeploymentOptions, JobBackend> previous;
    private Controller controller;

    @BeforeEach
    void fleet() {
        backend = new InMemoryBackend(false);
        previous = JobBackends.install(o -> backend);
        controller = Jobs.controller(backend);
        controller.submit(YamlSpecs.parse("web.yaml", SPEC));
        controller.runOnce();
    }

    @AfterEach
    void restore() {
        JobBackends.install(previous);
        JobBackends.uninstall();
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    private List<FleetPort.Member> members() {
        return backend.fleets.group("us-east-1", "web").orElseThrow().members();
    }

    private void serveAll() {
        members().forEach(m -> backend.fleets.serve("web", m.instanceId()));
        controller.runOnce();
    }

    @Test
    void status_showsCapacityPerPool_andEachMember_fromTheStoredFleet() {
        serveAll();
        String one = members().get(0).instanceId();
        String two = members().get(1).instanceId();
        backend.fleets.detach("us-east-1", "web", two, true);
        controller.runOnce();
        String three = members().stream().map(FleetPort.Member::instanceId).filter(i -> !i.equals(one)
                && !i.equals(two)).findFirst().orElseThrow();

        assertThat(run("status", "web")).isZero();

        assertThat(out.toString())
                .contains("fleet:       group web in us-east-1, desired 2 for 2 replicas")
                .contains("endpoint:    http://web.elb.test/")
                .contains("pools:       zone × type, desired / healthy / draining")
                .containsPattern("  us-east-1a m5.large +2 +1 +1\n")
                .containsPattern("  " + one + " +InService +healthy +us-east-1a m5.large")
                .containsPattern("  " + two + " +Detaching +draining +us-east-1a m5.large")
                .containsPattern("  " + three + " +Pending +- +us-east-1a m5.large");
    }

    @Test
    void endpoint_printsTheLoadBalancersUrl_andJson() {
        assertThat(run("endpoint", "web")).isZero();
        assertThat(out.toString().strip()).isEqualTo("http://web.elb.test/");

        assertThat(run("endpoint", "web", "--json")).isZero();
        assertThat(Json.parseObject(out.toString().strip())).containsEntry("url", "http://web.elb.test/")
                .containsEntry("dnsName", "web.elb.test");
    }

    @Test
    void endpoint_ofACancelledFleet_isRefusedWithWhy() {
        controller.cancel("web");
        controller.runOnce();

        assertThat(run("endpoint", "web")).isEqualTo(2);
        assertThat(err.toString()).contains("'web' has ended (cancelled): its load balancer is deleted");
    }

    @Test
    void cost_billsTheGroupsInstances_andTheSavingsAgainstOnDemand() {
        serveAll();
        backend.clock.advance(Duration.ofMinutes(30));

        assertThat(run("cost", "web")).isZero();

        // Two replicas for half an hour at the pool's spot $0.03/h, against its on-demand $0.096/h.
        assertThat(out.toString()).contains("(1.00 instance-hours)")
                .contains("all on-demand would have cost $0.0960: saved $0.0660 (69 %)");
        assertThat(out.toString()).containsPattern("total +\\$0\\.0300");
    }
}
