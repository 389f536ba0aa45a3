package dev.spotkeeper.emulator.market;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.io.ShippedMarket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpotMarketTest {
    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    private static SpotMarket market(long seed) {
        return new SpotMarket(ShippedMarket.spotLake(), V100Traces.shipped(), seed, START, 60, Duration.ofHours(1));
    }

    private static List<MarketEvent> run(SpotMarket market, int steps) {
        List<MarketEvent> events = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            events.addAll(market.step());
        }
        return events;
    }

    @Test
    void step_withSameSeed_producesIdenticalEventSequences() {
        List<MarketEvent> first = run(market(42), 48);
        List<MarketEvent> second = run(market(42), 48);

        assertThat(first).isNotEmpty().isEqualTo(second);
        assertThat(first).extracting(MarketEvent::kind).contains(MarketEvent.Kind.CAPACITY_LOST,
                MarketEvent.Kind.PRICE_CHANGED);
    }

    @Test
    void step_withDifferentSeed_producesDifferentEvents() {
        assertThat(run(market(1), 24)).isNotEqualTo(run(market(2), 24));
    }

    @Test
    void step_movesEmulatorTimeByStepOverTimeScale() {
        SpotMarket m = market(3);
        m.step();
        assertThat(m.now()).isEqualTo(START.plus(Duration.ofMinutes(1)));
        m.advanceTo(START.plus(Duration.ofMinutes(10)));
        assertThat(m.now()).isEqualTo(START.plus(Duration.ofMinutes(10)));
    }

    @Test
    void tracePools_replaceSnapshotPoolsWithRecordedValues() {
        TraceSeries trace = V100Traces.shipped().get(0);
        SpotMarket m = new SpotMarket(ShippedMarket.spotLake(), List.of(trace), 5, START, 1, trace.tick());

        PoolView pool = m.pool("us-east-1", "us-east-1a", "p3.2xlarge").orElseThrow();

        assertThat(trace.azName()).isEqualTo("us-east-1a");
        assertThat(pool.traceBacked()).isTrue();
        assertThat(pool.azId()).isEqualTo("use1-az1");
        assertThat(pool.onDemandPrice()).isEqualTo(3.06);
        boolean recorded = false;
        for (int r = 0; r < trace.size() && !recorded; r++) {
            recorded = trace.price(r) == pool.spotPrice() && trace.available(r) == pool.available();
        }
        assertThat(recorded).as("the pool's state is one row of its trace").isTrue();
    }

    @Test
    void tracePools_changeCapacityWhenTheTraceDoes() {
        TraceSeries trace = V100Traces.shipped().get(0);
        MarketSnapshot full = ShippedMarket.spotLake();
        MarketSnapshot p3 = new MarketSnapshot("p3 only", full.time(), full.pools().stream()
                .filter(p -> p.pool().instanceType().equals("p3.2xlarge")).toList());
        SpotMarket m = new SpotMarket(p3, List.of(trace), 5, START, 1, trace.tick());
        List<MarketEvent> events = new ArrayList<>();
        for (int i = 0; i < 2000 && events.stream().noneMatch(e -> e.kind() == MarketEvent.Kind.CAPACITY_RESTORED
                || e.kind() == MarketEvent.Kind.CAPACITY_LOST); i++) {
            m.step().stream().filter(e -> e.poolKey().equals("us-east-1/us-east-1a/p3.2xlarge")).forEach(events::add);
        }
        assertThat(events).extracting(MarketEvent::kind)
                .containsAnyOf(MarketEvent.Kind.CAPACITY_LOST, MarketEvent.Kind.CAPACITY_RESTORED);
    }

    @Test
    void forceCapacity_tellsListenersAtOnce() {
        SpotMarket m = market(9);
        List<MarketEvent> heard = new ArrayList<>();
        m.addListener(heard::add);

        m.forceCapacity("us-east-1", "us-east-1a", "m5.large", false);

        assertThat(heard).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(MarketEvent.Kind.CAPACITY_LOST);
            assertThat(e.poolKey()).isEqualTo("us-east-1/us-east-1a/m5.large");
        });
        assertThat(m.pool("us-east-1", "us-east-1a", "m5.large").orElseThrow().available()).isFalse();
    }

    @Test
    void zones_mapIdsToNamesInNumericOrder() {
        AzNames zones = market(1).zones();
        assertThat(zones.find("use1-az1").orElseThrow().name()).isEqualTo("us-east-1a");
        assertThat(zones.find("use1-az6").orElseThrow().name()).isEqualTo("us-east-1f");
        assertThat(zones.find("usw1-az3").orElseThrow().name()).isEqualTo("us-west-1b");
    }
}
