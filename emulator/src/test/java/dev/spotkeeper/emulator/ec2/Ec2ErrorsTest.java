package dev.spotkeeper.emulator.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spotkeeper.emulator.market.PoolView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

class Ec2ErrorsTest {
    static final String AMI = "ami-0e5f0a1b2c3d40001";
    @TempDir
    static Path work;
    static EmulatorFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture(work, 16);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static HttpResponse<String> post(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(f.emulator.endpoint() + "/"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260301/us-east-1/ec2/aws4_request, "
                        + "SignedHeaders=host, Signature=00")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Ec2Exception failure(Runnable call) {
        return catchThrowableOfType(call::run, Ec2Exception.class);
    }

    @Test
    void unknownAction_isInvalidActionWithAMessage() throws Exception {
        HttpResponse<String> r = post("Action=DescribeInstance&Version=2016-11-15");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<Response><Errors><Error><Code>InvalidAction</Code><Message>")
                .contains("DescribeInstance is not valid").contains("Did you mean: DescribeInstances")
                .contains("<RequestID>");
    }

    @Test
    void malformedBody_getsAnAwsShapedErrorAndTheEmulatorKeepsServing() throws Exception {
        HttpResponse<String> garbage = post("%zz%%&&==\u0000\u00ff{not a form}");
        HttpResponse<String> noAction = post("Version=2016-11-15");

        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("<Errors><Error><Code>").doesNotContain("Exception");
        assertThat(noAction.body()).contains("<Code>MissingAction</Code>");
        assertThat(f.ec2.describeRegions().regions()).isNotEmpty();
    }

    @Test
    void runInstances_withoutImage_isMissingParameter() {
        Ec2Exception e = failure(() -> f.ec2.runInstances(b -> b.instanceType("m5.large").minCount(1).maxCount(1)));

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MissingParameter");
        assertThat(e.awsErrorDetails().errorMessage()).contains("ImageId");
        assertThat(e.statusCode()).isEqualTo(400);
    }

    @Test
    void runInstances_withAMisspeltType_namesTheNearestValidTypes() {
        Ec2Exception e = failure(() -> f.ec2.runInstances(b -> b.imageId(AMI).instanceType("m5.larg")
                .minCount(1).maxCount(1)));

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
        assertThat(e.awsErrorDetails().errorMessage()).contains("'m5.larg'").contains("m5.large");
    }

    @Test
    void runInstances_pastTheVcpuQuota_isVcpuLimitExceeded() {
        Ec2Exception e = failure(() -> f.ec2.runInstances(b -> b.imageId(AMI).instanceType("m5.4xlarge")
                .minCount(2).maxCount(2)));

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("VcpuLimitExceeded");
        assertThat(e.awsErrorDetails().errorMessage()).contains("vCPU limit of 16");
    }

    @Test
    void runInstances_spotBelowThePoolPrice_isSpotMaxPriceTooLow() {
        PoolView pool = f.emulator.market().pool("us-east-1", "us-east-1a", "m5.large").orElseThrow();

        Ec2Exception e = failure(() -> f.ec2.runInstances(b -> b.imageId(AMI).instanceType("m5.large")
                .minCount(1).maxCount(1).placement(p -> p.availabilityZone("us-east-1a"))
                .instanceMarketOptions(m -> m.marketType("spot").spotOptions(s -> s.maxPrice("0.0001")))));

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SpotMaxPriceTooLow");
        assertThat(e.awsErrorDetails().errorMessage()).contains("0.0001").contains(Double.toString(pool.spotPrice()));
    }

    @Test
    void runInstances_spotInAPoolWithoutCapacity_isInsufficientInstanceCapacity() {
        f.emulator.market().forceCapacity("us-east-1", "us-east-1b", "c5.xlarge", false);
        try {
            Ec2Exception e = failure(() -> f.ec2.runInstances(b -> b.imageId(AMI).instanceType("c5.xlarge")
                    .minCount(1).maxCount(1).placement(p -> p.availabilityZone("us-east-1b"))
                    .instanceMarketOptions(m -> m.marketType("spot"))));

            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InsufficientInstanceCapacity");
            assertThat(e.statusCode()).isEqualTo(500);
            assertThat(e.awsErrorDetails().errorMessage()).contains("us-east-1b");
        } finally {
            f.emulator.market().forceCapacity("us-east-1", "us-east-1b", "c5.xlarge", null);
        }
    }

    @Test
    void describeInstances_ofAnUnknownId_isNotFound() {
        Ec2Exception e = failure(() -> f.ec2.describeInstances(b -> b.instanceIds("i-0123456789abcdef0")));

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidInstanceID.NotFound");
    }

    @Test
    void createFleet_withAnUnknownStrategy_isInvalidParameterValue() {
        f.ec2.createLaunchTemplate(b -> b.launchTemplateName("errors-lt").launchTemplateData(d -> d.imageId(AMI)));

        Ec2Exception e = failure(() -> f.ec2.createFleet(b -> b.type("instant")
                .launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s.launchTemplateName("errors-lt")))
                .targetCapacitySpecification(t -> t.totalTargetCapacity(1).defaultTargetCapacityType("spot"))
                .spotOptions(s -> s.allocationStrategy("lowest-prize"))));

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
        assertThat(e.awsErrorDetails().errorMessage()).contains("lowest-price");
    }
}
