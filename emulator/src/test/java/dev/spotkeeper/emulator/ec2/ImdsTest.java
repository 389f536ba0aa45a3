package dev.spotkeeper.emulator.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.json.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

class ImdsTest {
    static final String AMI = "ami-0e5f0a1b2c3d40001";
    @TempDir
    static Path work;
    static EmulatorFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture(work, 256);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    /** Launches a spot instance with the given tokens setting and tags in metadata, waits until it runs. */
    static String launch(String tokens) {
        String id = f.ec2.runInstances(b -> b.imageId(AMI).instanceType("m5.large").minCount(1).maxCount(1)
                .instanceMarketOptions(m -> m.marketType("spot"))
                .metadataOptions(m -> m.httpTokens(tokens).instanceMetadataTags("enabled"))
                .tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE)
                        .tags(Tag.builder().key("Name").value("imds-" + tokens).build()))).instances().get(0).instanceId();
        await().atMost(Duration.ofSeconds(15)).until(() -> f.ec2.describeInstances(b -> b.instanceIds(id))
                .reservations().get(0).instances().get(0).state().name() == InstanceStateName.RUNNING);
        return id;
    }

    static HttpResponse<String> put(String id, String ttl) throws Exception {
        return f.imdsToken(id, ttl);
    }

    static HttpResponse<String> get(String id, String path, String token) throws Exception {
        return f.imdsGet(id, path, token);
    }

    @Test
    void hostPort_isThePortOfThisMachineWhereTheInstancesPortIsReached_freeStableAndItsOwn() throws Exception {
        String a = launch("required");
        String b = launch("required");
        String tokenA = put(a, "60").body();
        String tokenB = put(b, "60").body();

        HttpResponse<String> first = get(a, "/latest/meta-data/spotkeeper/host-port/8080", tokenA);
        HttpResponse<String> again = get(a, "/latest/meta-data/spotkeeper/host-port/8080", tokenA);
        HttpResponse<String> other = get(b, "/latest/meta-data/spotkeeper/host-port/8080", tokenB);

        assertThat(first.statusCode()).isEqualTo(200);
        int port = Integer.parseInt(first.body());
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(other.body()).isNotEqualTo(first.body());
        assertThat(f.emulator.instances().hostPort(a, 8080)).hasValue(port);
        try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(s.getLocalPort()).as("free for the instance to listen on").isEqualTo(port);
        }
        assertThat(get(a, "/latest/meta-data/spotkeeper/host-port/70000", tokenA).statusCode()).isEqualTo(404);
    }

    @Test
    void get_withoutToken_isUnauthorizedWhenTokensAreRequired() throws Exception {
        String id = launch("required");

        assertThat(get(id, "/latest/meta-data/instance-id", null).statusCode()).isEqualTo(401);
        assertThat(get(id, "/latest/meta-data/instance-id", "made-up").statusCode()).isEqualTo(401);
    }

    @Test
    void putToken_withMissingOrOutOfRangeTtl_isBadRequest() throws Exception {
        String id = launch("required");

        assertThat(put(id, null).statusCode()).isEqualTo(400);
        assertThat(put(id, "0").statusCode()).isEqualTo(400);
        assertThat(put(id, "21601").statusCode()).isEqualTo(400);
        assertThat(put(id, "ten").statusCode()).isEqualTo(400);
        assertThat(put(id, "21600").statusCode()).isEqualTo(200);
    }

    @Test
    void token_expiresWithTheEmulatorsClock() throws Exception {
        String id = launch("required");
        String token = put(id, "60").body();
        assertThat(get(id, "/latest/meta-data/instance-id", token).body()).isEqualTo(id);

        f.clock.advance(Duration.ofSeconds(61));

        assertThat(get(id, "/latest/meta-data/instance-id", token).statusCode()).isEqualTo(401);
    }

    @Test
    void metadata_describesTheInstance() throws Exception {
        String id = launch("required");
        String token = put(id, "300").body();
        var instance = f.ec2.describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0);

        assertThat(get(id, "/latest/meta-data/instance-type", token).body()).isEqualTo("m5.large");
        assertThat(get(id, "/latest/meta-data/placement/availability-zone", token).body())
                .isEqualTo(instance.placement().availabilityZone());
        assertThat(get(id, "/latest/meta-data/placement/region", token).body()).isEqualTo("us-east-1");
        assertThat(get(id, "/latest/meta-data/ami-id", token).body()).isEqualTo(AMI);
        assertThat(get(id, "/latest/meta-data/local-ipv4", token).body()).isEqualTo(instance.privateIpAddress());
        assertThat(get(id, "/latest/meta-data/events/maintenance/scheduled", token).body()).isEqualTo("[]");
        assertThat(get(id, "/latest/meta-data/spot/instance-action", token).statusCode()).isEqualTo(404);
        assertThat(get(id, "/latest/meta-data/events/recommendations/rebalance", token).statusCode()).isEqualTo(404);
        assertThat(get(id, "/latest/meta-data/tags/instance", token).body()).isEqualTo("Name");
        assertThat(get(id, "/latest/meta-data/tags/instance/Name", token).body()).isEqualTo("imds-required");
        Map<String, Object> doc = Json.parseObject(get(id, "/latest/dynamic/instance-identity/document", token).body());
        assertThat(doc).containsEntry("instanceId", id).containsEntry("region", "us-east-1")
                .containsEntry("instanceType", "m5.large");
    }

    @Test
    void get_withoutToken_isServedWhenLaunchedWithOptionalTokens() throws Exception {
        String id = launch("optional");

        assertThat(get(id, "/latest/meta-data/instance-id", null).body()).isEqualTo(id);
        assertThat(get(id, "/latest/meta-data/instance-id", "made-up").statusCode()).isEqualTo(401);
    }

    @Test
    void tags_followCreateTags() throws Exception {
        String id = launch("required");
        f.ec2.createTags(b -> b.resources(id).tags(Tag.builder().key("spotkeeper:drain").value("now").build()));
        String token = put(id, "300").body();

        assertThat(get(id, "/latest/meta-data/tags/instance/spotkeeper:drain", token).body()).isEqualTo("now");
    }
}
