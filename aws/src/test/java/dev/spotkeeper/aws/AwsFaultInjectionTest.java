package dev.spotkeeper.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.core.cloud.FaultInjectionPort.Fault;
import dev.spotkeeper.core.cloud.FaultInjectionPort.Template;
import dev.spotkeeper.core.cloud.FaultInjectionPort.TemplateSpec;
import dev.spotkeeper.core.cloud.LaunchRequest;
import dev.spotkeeper.emulator.services.ServicesOptions;
import dev.spotkeeper.emulator.services.fis.FisComponent;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** {@link AwsFaultInjection} against the emulator's FIS and EC2: templates found again by their tags, both faults. */
class AwsFaultInjectionTest {
    private static final String ACCOUNT = "000000000000";
    private static EmulatedAws aws;
    private static AwsFaultInjection fis;

    @BeforeAll
    static void start() throws Exception {
        aws = EmulatedAws.start(64, new FisComponent(ServicesOptions.defaults().withAccountId(ACCOUNT)));
        fis = AwsFaultInjection.onEmulator(aws.settings, EmulatedAws.REGION, ACCOUNT);
    }

    @AfterAll
    static void stop() {
        fis.close();
        aws.close();
    }

    private static CloudInstance runningSpot(String workload) {
        CloudInstance i = aws.ports.compute().launch(new LaunchRequest(workload + "-1", EmulatedAws.REGION, "us-east-1a",
                "m5.large", true, Optional.of(0.5), "ami-0e5f0a1b2c3d40001", "sleep 600",
                Map.of("spotkeeper:workload", workload)));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.ports.compute().find(EmulatedAws.REGION,
                Map.of("spotkeeper:workload", workload)).stream().anyMatch(c -> c.state().equals("running")));
        return i;
    }

    @Test
    void ensureTemplate_createsOnce_thenFindsItAgainByItsTags() {
        TemplateSpec spec = new TemplateSpec("twice", EmulatedAws.REGION, Fault.SPOT_INTERRUPTION,
                Map.of("spotkeeper:workload", "twice"));

        Template first = fis.ensureTemplate(spec);
        Template again = fis.ensureTemplate(spec);
        Template other = fis.ensureTemplate(new TemplateSpec("twice", EmulatedAws.REGION, Fault.TERMINATION,
                Map.of("spotkeeper:workload", "twice")));

        assertThat(first.id()).startsWith("EXT");
        assertThat(first.created()).singleElement().asString().startsWith("created FIS experiment template " + first.id())
                .contains("aws:ec2:send-spot-instance-interruptions").contains("spotkeeper:workload=twice");
        assertThat(again).isEqualTo(new Template(first.id(), java.util.List.of()));
        assertThat(other.id()).isNotEqualTo(first.id());
    }

    @Test
    void spotInterruption_warnsTheTaggedRunningInstance() {
        CloudInstance victim = runningSpot("warned");
        Template t = fis.ensureTemplate(new TemplateSpec("warned", EmulatedAws.REGION, Fault.SPOT_INTERRUPTION,
                Map.of("spotkeeper:workload", "warned")));

        String experiment = fis.start(t.id(), "warned-1");

        await().atMost(Duration.ofSeconds(20)).until(() -> fis.state(experiment).status().equals("running"));
        try (Ec2Client ec2 = new Ec2Clients(aws.settings).forRegion(EmulatedAws.REGION)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> ec2.describeSpotInstanceRequests(b -> b.filters(f -> f
                    .name("instance-id").values(victim.instanceId()))).spotInstanceRequests().get(0).status().code()
                    .equals("marked-for-termination"));
        }
        assertThat(fis.start(t.id(), "warned-1")).isEqualTo(experiment);
    }

    @Test
    void termination_endsTheTaggedInstanceWithNoWarning() {
        CloudInstance victim = runningSpot("ended");
        Template t = fis.ensureTemplate(new TemplateSpec("ended", EmulatedAws.REGION, Fault.TERMINATION,
                Map.of("spotkeeper:workload", "ended")));

        String experiment = fis.start(t.id(), "ended-1");

        await().atMost(Duration.ofSeconds(20)).until(() -> aws.ports.compute().find(EmulatedAws.REGION,
                Map.of("spotkeeper:workload", "ended")).stream().noneMatch(c -> c.instanceId().equals(victim.instanceId())
                && (c.state().equals("running") || c.state().equals("pending"))));
        await().atMost(Duration.ofSeconds(20)).until(() -> fis.state(experiment).status().equals("completed"));
    }
}
