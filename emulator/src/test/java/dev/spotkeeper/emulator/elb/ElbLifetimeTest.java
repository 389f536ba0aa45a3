package dev.spotkeeper.emulator.elb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spotkeeper.emulator.LocalEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;

/** A load balancer's HAProxy ends with the emulator. */
class ElbLifetimeTest {
    @TempDir
    Path work;

    private static List<ProcessHandle> haproxies() {
        return ProcessHandle.current().descendants()
                .filter(h -> h.info().command().map(c -> c.endsWith("/haproxy")).orElse(false)).toList();
    }

    @Test
    void closingTheEmulator_endsItsHaproxies() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/haproxy")), "HAProxy (Debian package haproxy) is not installed");
        List<ProcessHandle> before = haproxies();
        LocalEmulator emulator = LocalEmulator.builder().port(0).seed(9).bootDelay(Duration.ZERO).traces(false)
                .workDirectory(work.resolve("emulator")).component(new ElbComponent("000000000000")).start();
        try (ElasticLoadBalancingV2Client elb = ElbTestRig.elb(emulator)) {
            String lb = elb.createLoadBalancer(r -> r.name("short-lived")).loadBalancers().get(0).loadBalancerArn();
            String tg = elb.createTargetGroup(r -> r.name("short-lived").protocol("HTTP").port(80).targetType("ip"))
                    .targetGroups().get(0).targetGroupArn();
            elb.createListener(r -> r.loadBalancerArn(lb).protocol("HTTP").port(80).defaultActions(Action.builder()
                    .type(ActionTypeEnum.FORWARD).targetGroupArn(tg).build()));
            List<ProcessHandle> started = haproxies().stream().filter(h -> !before.contains(h)).toList();
            assertThat(started).hasSize(1);
            assertThat(Files.readString(work.resolve("emulator").resolve("elb").resolve(
                    Files.list(work.resolve("emulator").resolve("elb")).filter(Files::isDirectory).findFirst()
                            .orElseThrow().getFileName()).resolve("haproxy.cfg"))).contains("frontend listener-80");

            emulator.close();

            await().atMost(Duration.ofSeconds(10)).until(() -> started.stream().noneMatch(ProcessHandle::isAlive));
        } finally {
            emulator.close();
        }
    }
}
