package dev.spotkeeper.emulator.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.io.MarketFile;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.market.MarketEvent;
import dev.spotkeeper.testkit.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/** The market's own hazard draws (no forcing) interrupt instances, on a market stepped by hand. */
class MarketInterruptionTest {
    /** One stormy pool (band 4, >20 %) in a user market file. */
    static final String MARKET = """
            region,az_id,az_name,instance_type,spot_price,on_demand_price,placement_score,interruption_band,time
            us-east-1,use1-az1,,m5.large,0.04,0.096,2,4,2026-03-01T00:00:00Z
            us-east-1,use1-az2,,m5.large,0.05,0.096,3,0,2026-03-01T00:00:00Z
            """;

    @TempDir
    Path work;

    @Test
    void hazardDrawnCapacityLoss_warnsWithTheScaledWarningAndTerminates() throws Exception {
        MarketSnapshot market = MarketFile.parse("stormy.csv", MARKET, ShippedMarket.catalog());
        MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
        try (LocalEmulator emulator = LocalEmulator.builder().port(0).clock(clock).seed(11).timeScale(60)
                .scaleWarning(true).traces(false).bootDelay(Duration.ZERO).marketStep(Duration.ofDays(30))
                .market(market).workDirectory(work).start();
             Ec2Client ec2 = client(emulator)) {
            String id = ec2.runInstances(b -> b.imageId("ami-0e5f0a1b2c3d40001").instanceType("m5.large")
                    .minCount(1).maxCount(1).placement(p -> p.availabilityZone("us-east-1a"))
                    .instanceMarketOptions(m -> m.marketType("spot"))).instances().get(0).instanceId();
            await().atMost(Duration.ofSeconds(15)).until(() -> state(ec2, id) == InstanceStateName.RUNNING);

            List<MarketEvent> events = new ArrayList<>();
            for (int i = 0; i < 50 && events.stream().noneMatch(e -> e.kind() == MarketEvent.Kind.CAPACITY_LOST); i++) {
                events.addAll(emulator.market().step().stream()
                        .filter(e -> e.poolKey().equals("us-east-1/us-east-1a/m5.large")).toList());
            }

            assertThat(events).extracting(MarketEvent::kind).contains(MarketEvent.Kind.CAPACITY_LOST);
            Instant now = clock.instant();
            URI imds = emulator.ec2().imdsEndpoint(id).orElseThrow();
            HttpClient http = HttpClient.newHttpClient();
            String token = http.send(HttpRequest.newBuilder(imds.resolve("/latest/api/token"))
                    .header("X-aws-ec2-metadata-token-ttl-seconds", "60").PUT(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            String action = http.send(HttpRequest.newBuilder(imds.resolve("/latest/meta-data/spot/instance-action"))
                    .header("X-aws-ec2-metadata-token", token).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(Json.parseObject(action)).containsEntry("time", now.plusSeconds(2).toString());

            clock.advance(Duration.ofSeconds(2));

            await().atMost(Duration.ofSeconds(20)).until(() -> state(ec2, id) == InstanceStateName.TERMINATED);
        }
    }

    static InstanceStateName state(Ec2Client ec2, String id) {
        return ec2.describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0).state().name();
    }

    static Ec2Client client(LocalEmulator emulator) {
        return Ec2Client.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }
}
