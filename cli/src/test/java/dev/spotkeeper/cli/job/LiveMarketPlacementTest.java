package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.spec.yaml.YamlSpecs;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.market.MarketPort;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.market.MarketControl;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The controller places on the emulator's market as it would on AWS's: through the signal adapters at the
 * emulator's endpoint, not the emulator's objects. The test changes the market over the wire (the market control
 * on the endpoint) and sees the next launch follow it.
 */
class LiveMarketPlacementTest {
    private static final String SPEC = """
            name: %s
            requirements:
              regions: [us-east-1]
              types: [m5.large]
            placement:
              strategy: lowest-price
            run: sleep 600
            """;

    private static LocalEmulator emulator;
    private static EmulatorBackend backend;

    @BeforeAll
    static void start() throws Exception {
        emulator = LocalEmulator.builder().port(0).seed(3).bootDelay(Duration.ZERO).services(true).start();
        backend = new EmulatorBackend(emulator, RulesRig.STAND_IN_AGENT);
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void nextLaunch_followsAPriceChangedThroughTheEmulatorsMarketControl() {
        MarketControl control = new MarketControl(emulator.endpoint(), emulator.credentials().secretAccessKey());
        List<String> zones = control.pools("us-east-1", "m5.large").stream()
                .filter(p -> Boolean.TRUE.equals(p.get("capacity"))).map(p -> (String) p.get("zone")).toList();
        assertThat(zones).as("m5.large zones with capacity").hasSizeGreaterThanOrEqualTo(2);
        RulesRig.SkewedClock marketClock = new RulesRig.SkewedClock();
        MarketPort market = backend.marketOn(marketClock);
        Controller controller = new Controller(backend.store(), backend.compute(), backend.queue(), market,
                backend.objects(), backend.config().withReceiveWait(Duration.ZERO),
                backend.clock());
        try {
            cheapestIn(control, zones, zones.get(0));
            assertThat(launchZone(controller, "follow-a")).isEqualTo(zones.get(0));

            cheapestIn(control, zones, zones.get(1));
            marketClock.advance(Duration.ofMinutes(2));
            assertThat(launchZone(controller, "follow-b")).isEqualTo(zones.get(1));

            assertThat(market.current().source()).startsWith("live AWS signals from " + emulator.endpoint());
            assertThat(market.fallback()).isEmpty();
        } finally {
            controller.cancel("follow-a");
            controller.cancel("follow-b");
            controller.runOnce();
            controller.close();
        }
    }

    /** Holds every m5.large zone at a price well above {@code cheap}'s. */
    private static void cheapestIn(MarketControl control, List<String> zones, String cheap) {
        for (String z : zones) {
            control.holdPrice("us-east-1", z, "m5.large", z.equals(cheap) ? 0.011 : 0.09);
        }
    }

    private static String launchZone(Controller controller, String name) {
        String text = String.format(SPEC, name);
        WorkloadSpec spec = YamlSpecs.parse(name + ".yaml", text);
        controller.submit(spec);
        await("the launch of " + name).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            controller.runOnce();
            return !backend.store().instances(name).isEmpty();
        });
        InstanceRecord r = backend.store().instances(name).get(0);
        return r.poolKey().split("/")[1];
    }
}
