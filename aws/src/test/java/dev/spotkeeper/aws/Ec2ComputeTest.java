package dev.spotkeeper.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.cloud.LaunchRequest;
import dev.spotkeeper.testkit.cloud.ComputePortContract;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;

/** {@code Ec2Compute} through {@link AwsPorts} against the emulator's EC2 (instances are local processes). */
class Ec2ComputeTest extends ComputePortContract {
    private static final String ZONE = "us-east-1a";
    private static final String TYPE = "m5.large";
    private static final String IMAGE = "ami-0e5f0a1b2c3d40001";
    private static final int VCPU_QUOTA = 64;
    private static EmulatedAws aws;

    @BeforeAll
    static void start() throws Exception {
        aws = EmulatedAws.start(VCPU_QUOTA);
        // Hold the pool steady: the market model must not take capacity away or move the price mid-test.
        aws.emulator.market().forceCapacity(EmulatedAws.REGION, ZONE, TYPE, true);
        aws.emulator.market().forcePrice(EmulatedAws.REGION, ZONE, TYPE, 0.04);
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    @Override
    protected ComputePort compute() {
        return aws.ports.compute();
    }

    @Override
    protected LaunchRequest request(String clientToken, Map<String, String> tags, String userData) {
        return new LaunchRequest(clientToken, EmulatedAws.REGION, ZONE, TYPE, true, Optional.of(0.5), IMAGE, userData, tags);
    }

    @Test
    void launch_goesThroughTheWorkloadsTemplate_thatRequiresImdsV2AndEnablesMetadataTags() {
        String workload = unique("imds");
        CloudInstance launched = compute().launch(request(workload + "-1",
                Map.of("spotkeeper:workload", workload), "#!/bin/sh\ntrue\n"));

        try (Ec2Clients clients = new Ec2Clients(aws.settings)) {
            Ec2Client ec2 = clients.forRegion(EmulatedAws.REGION);
            assertThat(ec2.describeLaunchTemplates(r -> r.launchTemplateNames("spotkeeper-" + workload))
                    .launchTemplates()).hasSize(1);
            Instance i = ec2.describeInstances(r -> r.instanceIds(launched.instanceId())).reservations().get(0)
                    .instances().get(0);
            assertThat(i.metadataOptions().httpTokensAsString()).isEqualTo("required");
            assertThat(i.metadataOptions().httpPutResponseHopLimit()).isEqualTo(2);
            assertThat(i.metadataOptions().instanceMetadataTagsAsString()).isEqualTo("enabled");
            assertThat(i.instanceLifecycleAsString()).isEqualTo("spot");
        }
        compute().terminate(EmulatedAws.REGION, launched.instanceId());
    }

    @Test
    void launch_withAGivenTemplate_goesThroughItForEveryWorkload_andMakesNoneOfItsOwn() {
        String template = unique("stack-template");
        String first = unique("given-a");
        String second = unique("given-b");
        try (Ec2Clients clients = new Ec2Clients(aws.settings);
             AwsPorts ports = new AwsPorts(aws.settings, EmulatedAws.REGION, java.time.Clock.systemUTC(),
                     Optional.empty(), Optional.of(template))) {
            Ec2Client ec2 = clients.forRegion(EmulatedAws.REGION);
            String templateId = ec2.createLaunchTemplate(r -> r.launchTemplateName(template).launchTemplateData(d -> d
                    .metadataOptions(m -> m.httpTokens("required").instanceMetadataTags("enabled"))))
                    .launchTemplate().launchTemplateId();
            CloudInstance a = ports.compute().launch(request(first + "-1", Map.of("spotkeeper:workload", first), ""));
            CloudInstance b = ports.compute().launch(request(second + "-1", Map.of("spotkeeper:workload", second), ""));

            for (CloudInstance launched : java.util.List.of(a, b)) {
                Instance i = ec2.describeInstances(r -> r.instanceIds(launched.instanceId())).reservations().get(0)
                        .instances().get(0);
                assertThat(i.tags()).as(launched.instanceId()).anyMatch(t -> t.key().equals("aws:ec2launchtemplate:id")
                        && t.value().equals(templateId));
                assertThat(i.metadataOptions().httpTokensAsString()).isEqualTo("required");
                assertThat(i.metadataOptions().instanceMetadataTagsAsString()).isEqualTo("enabled");
            }
            assertThat(ec2.describeLaunchTemplates(r -> { }).launchTemplates())
                    .extracting(software.amazon.awssdk.services.ec2.model.LaunchTemplate::launchTemplateName)
                    .as("no template per workload").doesNotContain("spotkeeper-" + first, "spotkeeper-" + second);
            ports.compute().terminate(EmulatedAws.REGION, a.instanceId());
            ports.compute().terminate(EmulatedAws.REGION, b.instanceId());

            // The given template is not the plane's to make: once deleted, a launch fails and makes none.
            ec2.deleteLaunchTemplate(r -> r.launchTemplateId(templateId));
            assertThatThrownBy(() -> ports.compute().launch(request(first + "-2", Map.of("spotkeeper:workload", first),
                    ""))).isInstanceOf(SpotkeeperException.class);
            assertThat(ec2.describeLaunchTemplates(r -> { }).launchTemplates())
                    .extracting(software.amazon.awssdk.services.ec2.model.LaunchTemplate::launchTemplateName)
                    .doesNotContain(template, "spotkeeper-" + first);
        }
    }

    @Test
    void terminate_spotInstance_cancelsItsSpotRequest() {
        String workload = unique("cancel");
        CloudInstance launched = compute().launch(request(workload + "-1",
                Map.of("spotkeeper:workload", workload), "#!/bin/sh\ntrue\n"));

        compute().terminate(EmulatedAws.REGION, launched.instanceId());

        try (Ec2Clients clients = new Ec2Clients(aws.settings)) {
            Ec2Client ec2 = clients.forRegion(EmulatedAws.REGION);
            String requestId = ec2.describeInstances(r -> r.instanceIds(launched.instanceId())).reservations().get(0)
                    .instances().get(0).spotInstanceRequestId();
            assertThat(requestId).isNotBlank();
            assertThat(ec2.describeSpotInstanceRequests(r -> r.spotInstanceRequestIds(requestId))
                    .spotInstanceRequests().get(0).stateAsString()).isEqualTo("cancelled");
        }
    }

    @Test
    void launch_secondInstanceOfAWorkload_reusesItsTemplate() {
        String workload = unique("reuse");
        CloudInstance first = compute().launch(request(workload + "-1", Map.of("spotkeeper:workload", workload), ""));
        CloudInstance second = compute().launch(request(workload + "-2", Map.of("spotkeeper:workload", workload), ""));

        assertThat(second.instanceId()).isNotEqualTo(first.instanceId());
        compute().terminate(EmulatedAws.REGION, first.instanceId());
        compute().terminate(EmulatedAws.REGION, second.instanceId());
    }

    @Test
    void launch_sameClientTokenForADifferentLaunch_failsAndNamesTheToken() {
        String workload = unique("mismatch");
        CloudInstance first = compute().launch(request(workload + "-1", Map.of("spotkeeper:workload", workload), ""));
        LaunchRequest other = new LaunchRequest(workload + "-1", EmulatedAws.REGION, ZONE, TYPE, true,
                Optional.of(0.6), IMAGE, "", Map.of("spotkeeper:workload", workload));

        assertThatThrownBy(() -> compute().launch(other)).isInstanceOfSatisfying(SpotkeeperException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains("IdempotentParameterMismatch").contains("client token");
        });
        compute().terminate(EmulatedAws.REGION, first.instanceId());
    }

    @Test
    void launch_pastTheVcpuQuota_failsWithQuotaExceededAndSaysHowToRaiseIt() {
        LaunchRequest big = new LaunchRequest(unique("big"), EmulatedAws.REGION, ZONE, "m5.24xlarge", true,
                Optional.empty(), IMAGE, "", Map.of("spotkeeper:workload", "big"));

        assertThatThrownBy(() -> compute().launch(big)).isInstanceOfSatisfying(SpotkeeperException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
            assertThat(e.getMessage()).contains("VcpuLimitExceeded").contains("Service Quotas")
                    .contains("request-service-quota-increase");
        });
    }

    @Test
    void launch_belowTheSpotPrice_failsWithSpotPriceTooLow() {
        LaunchRequest cheap = new LaunchRequest(unique("cheap"), EmulatedAws.REGION, ZONE, TYPE, true,
                Optional.of(0.001), IMAGE, "", Map.of("spotkeeper:workload", "cheap"));

        assertThatThrownBy(() -> compute().launch(cheap)).isInstanceOfSatisfying(SpotkeeperException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SPOT_PRICE_TOO_LOW);
            assertThat(e.getMessage()).contains("SpotMaxPriceTooLow").contains("raise the maximum price");
        });
    }

    @Test
    void launch_intoAPoolWithoutCapacity_failsWithInsufficientCapacity() {
        String zone = "us-east-1b";
        aws.emulator.market().forceCapacity(EmulatedAws.REGION, zone, TYPE, false);
        LaunchRequest none = new LaunchRequest(unique("none"), EmulatedAws.REGION, zone, TYPE, true,
                Optional.empty(), IMAGE, "", Map.of("spotkeeper:workload", "none"));

        assertThatThrownBy(() -> compute().launch(none)).isInstanceOfSatisfying(SpotkeeperException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INSUFFICIENT_CAPACITY));
    }

    @Test
    void launch_withAMisspelledType_failsWithInvalidArgument() {
        LaunchRequest typo = new LaunchRequest(unique("typo"), EmulatedAws.REGION, ZONE, "m5.lage", true,
                Optional.empty(), IMAGE, "", Map.of("spotkeeper:workload", "typo"));

        assertThatThrownBy(() -> compute().launch(typo)).isInstanceOfSatisfying(SpotkeeperException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains("m5.lage");
        });
    }
}
