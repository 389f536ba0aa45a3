package dev.spotkeeper.emulator.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.io.SpotAdvisorFeed;
import dev.spotkeeper.emulator.market.MarketControl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.SpotPrice;

/** The market control on the emulator's endpoint, seen through EC2's own API as any client sees the market. */
class MarketControlTest {
    @TempDir
    Path dir;
    private EmulatorFixture fx;
    private MarketControl control;

    @BeforeEach
    void start() throws Exception {
        fx = new EmulatorFixture(dir, 256);
        control = new MarketControl(fx.emulator.endpoint(), fx.emulator.credentials().secretAccessKey());
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private List<SpotPrice> prices(String zone) {
        return fx.ec2.describeSpotPriceHistory(b -> b.instanceTypes(InstanceType.M5_LARGE).availabilityZone(zone)
                .startTime(fx.clock.instant())).spotPriceHistory();
    }

    @Test
    void heldPrice_isWhatDescribeSpotPriceHistoryAnswers_untilHandedBack() {
        Map<String, Object> pool = control.pools("us-east-1", "m5.large").get(0);
        String zone = (String) pool.get("zone");
        double before = ((Number) pool.get("spotPrice")).doubleValue();

        control.holdPrice("us-east-1", zone, "m5.large", 0.0123);
        assertThat(prices(zone)).extracting(p -> Double.parseDouble(p.spotPrice())).containsExactly(0.0123);

        control.holdPrice("us-east-1", zone, "m5.large", null);
        assertThat(Double.parseDouble(prices(zone).get(0).spotPrice())).isEqualTo(before);
    }

    @Test
    void heldCapacity_refusesLaunchesInThatPool() {
        String zone = (String) control.pools("us-east-1", "m5.large").get(0).get("zone");

        Map<String, Object> after = control.holdCapacity("us-east-1", zone, "m5.large", false);

        assertThat(after.get("capacity")).isEqualTo(false);
        assertThatThrownBy(() -> fx.ec2.runInstances(b -> b.imageId("ami-spotkeeper").instanceType(InstanceType.M5_LARGE)
                .minCount(1).maxCount(1).placement(p -> p.availabilityZone(zone))
                .instanceMarketOptions(m -> m.marketType("spot"))))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("InsufficientInstanceCapacity"));
    }

    @Test
    void control_refusesACallerWithoutTheEmulatorsKey_andNamesAPoolItDoesNotHave() {
        MarketControl stranger = new MarketControl(fx.emulator.endpoint(), "not-the-key");

        assertThatThrownBy(() -> stranger.holdPrice("us-east-1", "us-east-1a", "m5.large", 0.01))
                .isInstanceOf(SpotkeeperException.class).hasMessageContaining("HTTP 401");
        assertThatThrownBy(() -> control.holdPrice("us-east-1", "us-east-1z", "m5.large", 0.01))
                .isInstanceOf(SpotkeeperException.class).hasMessageContaining("no pool us-east-1/us-east-1z/m5.large");
    }

    @Test
    void advisorFeed_readsAsTheSpotAdvisorFeed_withTheMarketsSavings() throws Exception {
        URI url = fx.emulator.endpoint().resolve("/_spotkeeper/spot-advisor-data.json");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofString());

        SpotAdvisorFeed feed = SpotAdvisorFeed.parse(url.toString(), r.body());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(feed.catalog().find("m5.large")).isPresent();
        List<Map<String, Object>> pools = control.pools("us-east-1", "m5.large");
        double spot = pools.stream().mapToDouble(p -> ((Number) p.get("spotPrice")).doubleValue()).average().orElseThrow();
        double onDemand = pools.stream().mapToDouble(p -> ((Number) p.get("onDemandPrice")).doubleValue()).average()
                .orElseThrow();
        assertThat(feed.linux("us-east-1", "m5.large")).hasValueSatisfying(e -> assertThat(e.savingsPercent())
                .isEqualTo((int) Math.round(100 * (1 - spot / onDemand))));
    }
}
