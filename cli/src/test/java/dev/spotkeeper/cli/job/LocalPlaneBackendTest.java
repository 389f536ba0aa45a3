package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.cli.local.Connection;
import dev.spotkeeper.cli.local.LocalHome;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.spi.LoadBalancerControl;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;

class LocalPlaneBackendTest {
    @TempDir
    Path dir;

    @Test
    void connecting_makesNoCall_theQueueAndTableComeFromTheConnectionFile() throws IOException {
        // An endpoint nothing listens on: any create or describe call would fail here.
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Connection c = new Connection("http://127.0.0.1:" + port, "us-east-1", "AKIATEST", "generated-x",
                "http://127.0.0.1:" + port + "/000000000000/spotkeeper-events", "spotkeeper-state", 1,
                Instant.EPOCH, Instant.EPOCH);

        try (LocalPlaneBackend backend = new LocalPlaneBackend(c, new LocalHome(dir))) {
            assertThat(backend.queueUrl).isEqualTo(c.queueUrl());
            assertThat(backend.resident()).isTrue();
        }
    }

    @Test
    void loadBalancerUrl_ofABackgroundPlane_isTheLoopbackUrlItsHaproxyServes_notTheDnsName() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/haproxy")), "HAProxy is not installed");
        try (LocalEmulator emulator = ServiceRig.emulator(11);
             ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.builder()
                     .endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(ServiceRig.credentials(emulator)).build()) {
            LoadBalancer lb = elb.createLoadBalancer(r -> r.name("bg-web").subnets("subnet-us-east-1a"))
                    .loadBalancers().get(0);
            String tg = elb.createTargetGroup(r -> r.name("bg-web-tg").protocol("HTTP").port(8080).vpcId("vpc-1")
                    .targetType("instance")).targetGroups().get(0).targetGroupArn();
            elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTP").port(80)
                    .defaultActions(Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(tg).build()));
            Connection c = new Connection(emulator.endpoint().toString(), "us-east-1",
                    emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey(),
                    emulator.endpoint() + "/000000000000/spotkeeper-events", "spotkeeper-state", 1, Instant.EPOCH,
                    Instant.EPOCH);

            try (LocalPlaneBackend backend = new LocalPlaneBackend(c, new LocalHome(dir))) {
                String url = backend.loadBalancerUrl(lb.loadBalancerArn(), lb.dnsName());

                URI served = emulator.lookup(LoadBalancerControl.class).orElseThrow()
                        .listenerEndpoint(lb.loadBalancerArn(), 80).orElseThrow();
                assertThat(url).isEqualTo(served + "/").doesNotContain(lb.dnsName());
                // What answers there is the load balancer (no healthy target yet: HAProxy's 503), not a refusal.
                HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(503);
                // A load balancer the plane does not know: the DNS name's URL, as on AWS.
                assertThat(backend.loadBalancerUrl(lb.loadBalancerArn() + "-gone", "gone.elb.localhost"))
                        .isEqualTo("http://gone.elb.localhost/");
            }
        }
    }
}
