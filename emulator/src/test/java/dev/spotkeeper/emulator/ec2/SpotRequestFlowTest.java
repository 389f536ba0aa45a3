package dev.spotkeeper.emulator.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SpotInstanceRequest;
import software.amazon.awssdk.services.ec2.model.SpotInstanceState;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The legacy spot flow (RequestSpotInstances, DescribeSpotInstanceRequests, CancelSpotInstanceRequests), with the
 * states and status codes of the EC2 User Guide's "State changes for a Spot request": {@code open /
 * pending-evaluation} first, then {@code active / fulfilled} with an instance, or a holding code such as {@code
 * price-too-low} while the request stays open.
 */
class SpotRequestFlowTest {
    static final String AMI = "ami-0e5f0a1b2c3d40001";
    @TempDir
    static Path work;
    static EmulatorFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture(work, 512);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private SpotInstanceRequest request(String id) {
        return f.ec2.describeSpotInstanceRequests(b -> b.spotInstanceRequestIds(id)).spotInstanceRequests().get(0);
    }

    private Instance instance(String id) {
        return f.ec2.describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    @Test
    void requestSpotInstances_isOpenThenActiveWithAnInstance_andCancellingKeepsTheInstance() {
        var requested = f.ec2.requestSpotInstances(b -> b.spotPrice("0.50").instanceCount(1).type("one-time")
                .launchSpecification(s -> s.imageId(AMI).instanceType("m5.large")
                        .userData(Base64.getEncoder().encodeToString("sleep 600".getBytes())))
                .tagSpecifications(t -> t.resourceType(ResourceType.SPOT_INSTANCES_REQUEST)
                        .tags(Tag.builder().key("team").value("ml").build())))
                .spotInstanceRequests();

        assertThat(requested).hasSize(1);
        SpotInstanceRequest open = requested.get(0);
        assertThat(open.state()).isEqualTo(SpotInstanceState.OPEN);
        assertThat(open.status().code()).isEqualTo("pending-evaluation");
        assertThat(open.instanceId()).isNull();
        assertThat(open.spotPrice()).isEqualTo("0.5");
        String id = open.spotInstanceRequestId();

        await().atMost(Duration.ofSeconds(15)).until(() -> request(id).state() == SpotInstanceState.ACTIVE);
        SpotInstanceRequest active = request(id);
        assertThat(active.status().code()).isEqualTo("fulfilled");
        assertThat(active.tags()).extracting(Tag::key, Tag::value).containsExactly(org.assertj.core.groups.Tuple.tuple("team", "ml"));
        assertThat(active.launchedAvailabilityZone()).startsWith("us-east-1");
        Instance launched = instance(active.instanceId());
        assertThat(launched.spotInstanceRequestId()).isEqualTo(id);
        assertThat(launched.instanceLifecycleAsString()).isEqualTo("spot");
        assertThat(launched.instanceType().toString()).isEqualTo("m5.large");
        assertThat(f.ec2.describeSpotInstanceRequests(b -> b.filters(Filter.builder().name("state").values("active")
                .build())).spotInstanceRequests()).extracting(SpotInstanceRequest::spotInstanceRequestId).contains(id);

        var cancelled = f.ec2.cancelSpotInstanceRequests(b -> b.spotInstanceRequestIds(id)).cancelledSpotInstanceRequests();

        assertThat(cancelled.get(0).stateAsString()).isEqualTo("cancelled");
        assertThat(request(id).status().code()).isEqualTo("request-canceled-and-instance-running");
        assertThat(instance(active.instanceId()).state().name()).isIn(InstanceStateName.PENDING, InstanceStateName.RUNNING);
        f.ec2.terminateInstances(b -> b.instanceIds(active.instanceId()));
    }

    @Test
    void requestSpotInstances_belowTheSpotPrice_staysOpenAsPriceTooLow_untilCancelled() {
        String id = f.ec2.requestSpotInstances(b -> b.spotPrice("0.0001")
                .launchSpecification(s -> s.imageId(AMI).instanceType("m5.large"))).spotInstanceRequests().get(0)
                .spotInstanceRequestId();

        await().atMost(Duration.ofSeconds(15)).until(() -> request(id).status().code().equals("price-too-low"));
        assertThat(request(id).state()).isEqualTo(SpotInstanceState.OPEN);
        assertThat(request(id).instanceId()).isNull();

        f.ec2.cancelSpotInstanceRequests(b -> b.spotInstanceRequestIds(id));

        assertThat(request(id).state()).isEqualTo(SpotInstanceState.CANCELLED);
        assertThat(request(id).status().code()).isEqualTo("canceled-before-fulfillment");
    }

    @Test
    void requestSpotInstances_countOfTwo_makesTwoRequests_eachWithItsInstance() {
        var requested = f.ec2.requestSpotInstances(b -> b.instanceCount(2)
                .launchSpecification(s -> s.imageId(AMI).instanceType("c5.large"))).spotInstanceRequests();

        assertThat(requested).hasSize(2);
        for (SpotInstanceRequest r : requested) {
            await().atMost(Duration.ofSeconds(15)).until(() -> request(r.spotInstanceRequestId()).state()
                    == SpotInstanceState.ACTIVE);
            f.ec2.terminateInstances(b -> b.instanceIds(request(r.spotInstanceRequestId()).instanceId()));
        }
        assertThat(requested.stream().map(r -> request(r.spotInstanceRequestId()).instanceId()).distinct()).hasSize(2);
    }

    @Test
    void requestSpotInstances_pastItsValidUntil_expires() {
        String id = f.ec2.requestSpotInstances(b -> b.spotPrice("0.0001").validUntil(f.clock.instant().plusSeconds(60))
                .launchSpecification(s -> s.imageId(AMI).instanceType("m5.large"))).spotInstanceRequests().get(0)
                .spotInstanceRequestId();
        await().atMost(Duration.ofSeconds(15)).until(() -> request(id).status().code().equals("price-too-low"));

        f.clock.advance(Duration.ofMinutes(2));

        await().atMost(Duration.ofSeconds(15)).until(() -> request(id).status().code().equals("schedule-expired"));
        assertThat(request(id).state()).isEqualTo(SpotInstanceState.CANCELLED);
    }

    @Test
    void requestSpotInstances_withWrongParameters_isRefusedAsAwsRefusesIt() {
        assertThatThrownBy(() -> f.ec2.requestSpotInstances(b -> b.type("persistent")
                .launchSpecification(s -> s.imageId(AMI).instanceType("m5.large"))))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .contains("persistent"));
        assertThatThrownBy(() -> f.ec2.requestSpotInstances(b -> b.launchSpecification(s -> s.instanceType("m5.large"))))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("MissingParameter"));
        assertThatThrownBy(() -> f.ec2.requestSpotInstances(b -> b.launchSpecification(s -> s.imageId(AMI)
                .instanceType("m5.hugest")))).isInstanceOfSatisfying(Ec2Exception.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
    }
}
