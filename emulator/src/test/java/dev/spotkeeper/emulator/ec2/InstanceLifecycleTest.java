package dev.spotkeeper.emulator.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.json.Json;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.imds.Ec2MetadataClient;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

class InstanceLifecycleTest {
    static final String AMI = "ami-0e5f0a1b2c3d40001";
    /** Reads its own id from IMDS with curl (IMDSv2), prints its environment, then keeps a child alive. */
    static final String SCRIPT = """
            #!/bin/sh
            E="$AWS_EC2_METADATA_SERVICE_ENDPOINT"
            T=$(curl -s -X PUT "$E/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 300")
            echo "instance-id=$(curl -s -H "X-aws-ec2-metadata-token: $T" "$E/latest/meta-data/instance-id")"
            echo "region=$AWS_REGION default=$AWS_DEFAULT_REGION endpoint=$AWS_ENDPOINT_URL key=$AWS_ACCESS_KEY_ID"
            echo "aws-vars=$(env | grep -c '^AWS_')"
            echo "to stderr" >&2
            sleep 300 &
            echo $! > child.pid
            echo $$ > shell.pid
            wait
            """;

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

    static Instance describe(String id) {
        return f.ec2.describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    static String launchSpot(String script, String zone, String maxPrice) {
        String userData = Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_8));
        String id = f.ec2.runInstances(b -> b.imageId(AMI).instanceType("m5.large").minCount(1).maxCount(1)
                .userData(userData).placement(p -> p.availabilityZone(zone))
                .instanceMarketOptions(m -> m.marketType("spot").spotOptions(s -> s.maxPrice(maxPrice))))
                .instances().get(0).instanceId();
        await().atMost(Duration.ofSeconds(15)).until(() -> describe(id).state().name() == InstanceStateName.RUNNING);
        return id;
    }

    static String console(String id) {
        String out = f.ec2.getConsoleOutput(b -> b.instanceId(id)).output();
        return out == null ? "" : new String(Base64.getDecoder().decode(out), StandardCharsets.UTF_8);
    }

    static long pid(String id, String file) throws Exception {
        Path p = f.emulator.workDirectory().resolve("instances").resolve(id).resolve(file);
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(p) && !Files.readString(p).isBlank());
        return Long.parseLong(Files.readString(p).trim());
    }

    static HttpResponse<String> imds(String id, String path) throws Exception {
        String token = f.imdsToken(id, "300").body();
        return f.imdsGet(id, path, token);
    }

    @Test
    void userData_runsWithItsEnvironmentAndItsOutputIsTheConsole() {
        String id = launchSpot(SCRIPT, "us-east-1a", "5");

        await().atMost(Duration.ofSeconds(15)).until(() -> console(id).contains("to stderr"));
        String console = console(id);
        assertThat(console).contains("instance-id=" + id)
                .contains("region=us-east-1 default=us-east-1")
                .contains("endpoint=" + f.emulator.endpoint())
                .contains("key=" + f.emulator.credentials().accessKeyId())
                .contains("aws-vars=6");
        f.ec2.terminateInstances(b -> b.instanceIds(id));
    }

    @Test
    void terminate_endsWhatTheUserDataLeftInTheBackground_afterItsOwnProcessExited() throws Exception {
        String id = launchSpot("#!/bin/sh\n( sleep 600 ) &\necho $! > background.pid\n", "us-east-1a", "5");
        ProcessHandle background = ProcessHandle.of(pid(id, "background.pid")).orElseThrow();
        assertThat(background.isAlive()).isTrue();

        f.ec2.terminateInstances(b -> b.instanceIds(id));

        await().atMost(Duration.ofSeconds(20)).until(() -> describe(id).state().name() == InstanceStateName.TERMINATED);
        await().atMost(Duration.ofSeconds(10)).until(() -> !background.isAlive());
    }

    @Test
    void interrupt_warnsInImdsThenEndsTheProcessTreeAndTerminates() throws Exception {
        String id = launchSpot(SCRIPT, "us-east-1a", "5");
        ProcessHandle shell = ProcessHandle.of(pid(id, "shell.pid")).orElseThrow();
        ProcessHandle child = ProcessHandle.of(pid(id, "child.pid")).orElseThrow();
        Instant now = f.clock.instant();

        boolean interrupted = f.emulator.instances().interrupt(id, Duration.ofMinutes(2));

        assertThat(interrupted).isTrue();
        HttpResponse<String> action = imds(id, "/latest/meta-data/spot/instance-action");
        assertThat(action.statusCode()).isEqualTo(200);
        assertThat(Json.parseObject(action.body())).containsEntry("action", "terminate")
                .containsEntry("time", now.plus(Duration.ofMinutes(2)).toString());
        assertThat(imds(id, "/latest/meta-data/events/recommendations/rebalance").statusCode()).isEqualTo(200);
        assertThat(f.eventTypes(id)).contains("EC2 Instance Rebalance Recommendation",
                "EC2 Spot Instance Interruption Warning");
        assertThat(shell.isAlive()).isTrue();

        f.clock.advance(Duration.ofMinutes(2));

        await().atMost(Duration.ofSeconds(20)).until(() -> describe(id).state().name() == InstanceStateName.TERMINATED);
        assertThat(shell.isAlive()).isFalse();
        assertThat(child.isAlive()).isFalse();
        var request = f.ec2.describeSpotInstanceRequests(b -> b.spotInstanceRequestIds(describe(id).spotInstanceRequestId()))
                .spotInstanceRequests().get(0);
        assertThat(request.status().code()).isEqualTo("instance-terminated-by-experiment");
        assertThat(f.eventTypes(id)).endsWith("EC2 Instance State-change Notification:shutting-down",
                "EC2 Instance State-change Notification:terminated");
    }

    @Test
    void interrupt_withMoreThanTwoMinutes_recommendsRebalanceAtOnceAndWarnsTwoMinutesBefore() throws Exception {
        String id = launchSpot("sleep 300\n", "us-east-1a", "5");

        f.emulator.instances().interrupt(id, Duration.ofMinutes(5));

        assertThat(imds(id, "/latest/meta-data/events/recommendations/rebalance").statusCode()).isEqualTo(200);
        assertThat(imds(id, "/latest/meta-data/spot/instance-action").statusCode()).isEqualTo(404);
        f.clock.advance(Duration.ofMinutes(3));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> imds(id, "/latest/meta-data/spot/instance-action").statusCode() == 200);
        assertThat(imds(id, "/latest/meta-data/spot/termination-time").body()).endsWith("Z");
        assertThat(describe(id).state().name()).isEqualTo(InstanceStateName.RUNNING);
        f.clock.advance(Duration.ofMinutes(2));
        await().atMost(Duration.ofSeconds(20)).until(() -> describe(id).state().name() == InstanceStateName.TERMINATED);
    }

    @Test
    void capacityLoss_interruptsTheSpotInstancesOfThePoolWithTheRealTwoMinuteWarning() {
        String id = launchSpot("sleep 300\n", "us-east-1e", "5");

        f.emulator.market().forceCapacity("us-east-1", "us-east-1e", "m5.large", false);
        try {
            assertThat(f.eventTypes(id)).contains("EC2 Spot Instance Interruption Warning");
            f.clock.advance(Duration.ofSeconds(119));
            f.emulator.ec2().runDue();
            assertThat(describe(id).state().name()).isEqualTo(InstanceStateName.RUNNING);
            f.clock.advance(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> describe(id).state().name() == InstanceStateName.TERMINATED);
            var request = f.ec2.describeSpotInstanceRequests(b -> b.filters(
                    software.amazon.awssdk.services.ec2.model.Filter.builder().name("instance-id").values(id).build()))
                    .spotInstanceRequests().get(0);
            assertThat(request.status().code()).isEqualTo("instance-terminated-no-capacity");
            assertThat(request.stateAsString()).isEqualTo("closed");
        } finally {
            f.emulator.market().forceCapacity("us-east-1", "us-east-1e", "m5.large", null);
        }
    }

    @Test
    void priceAboveMaxPrice_interruptsOnlyInstancesWhoseMaxPriceItExceeds() {
        double price = f.emulator.market().pool("us-east-1", "us-east-1d", "m5.large").orElseThrow().spotPrice();
        String cheap = launchSpot("sleep 300\n", "us-east-1d", Double.toString(price + 0.01));
        String generous = launchSpot("sleep 300\n", "us-east-1d", "5");

        f.emulator.market().forcePrice("us-east-1", "us-east-1d", "m5.large", price + 0.02);
        try {
            f.clock.advance(Duration.ofMinutes(2));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> describe(cheap).state().name() == InstanceStateName.TERMINATED);
            assertThat(f.ec2.describeSpotInstanceRequests(b -> b.spotInstanceRequestIds(
                    describe(cheap).spotInstanceRequestId())).spotInstanceRequests().get(0).status().code())
                    .isEqualTo("instance-terminated-by-price");
            assertThat(describe(generous).state().name()).isEqualTo(InstanceStateName.RUNNING);
        } finally {
            f.emulator.market().forcePrice("us-east-1", "us-east-1d", "m5.large", null);
            f.ec2.terminateInstances(b -> b.instanceIds(generous));
        }
    }

    @Test
    void sdkMetadataClient_readsTheInstanceThroughItsEndpoint() {
        String id = launchSpot("sleep 300\n", "us-east-1a", "5");

        try (Ec2MetadataClient client = Ec2MetadataClient.builder()
                .endpoint(f.emulator.ec2().imdsEndpoint(id).orElseThrow()).build()) {
            assertThat(client.get("/latest/meta-data/instance-id").asString()).isEqualTo(id);
            assertThat(client.get("/latest/meta-data/placement/availability-zone").asString()).isEqualTo("us-east-1a");
        }
        assertThat(f.emulator.instances().instances()).anySatisfy(v -> {
            assertThat(v.instanceId()).isEqualTo(id);
            assertThat(v.spot()).isTrue();
            assertThat(v.availabilityZone()).isEqualTo("us-east-1a");
        });
    }
}
