package dev.spotkeeper.core.signals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.ManualClock;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.PoolSignals;
import dev.spotkeeper.core.market.io.ShippedMarket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LiveMarketTest {
    private static final List<String> TYPES = List.of("m5.large", "m5a.large", "m6i.large");
    private static final MarketSnapshot FALLBACK = new MarketSnapshot("shipped", Instant.parse("2022-07-12T04:20:02Z"),
            List.of());
    private final ManualClock clock = new ManualClock("2026-03-01T10:00:00Z");
    private final InMemorySignalSources sources = new InMemorySignalSources();
    private final List<String> warnings = new ArrayList<>();
    private final AtomicInteger refreshes = new AtomicInteger();
    private SignalsRefresher refresher;

    @BeforeEach
    void setUp() {
        sources.zones.add(new Zone("us-east-1", "us-east-1a", "use1-az4"));
        sources.prices.add(new SpotPrice("us-east-1", "us-east-1a", "m5.large", 0.04, clock.instant()));
        sources.prices.add(new SpotPrice("us-east-1", "us-east-1a", "c5.large", 0.03, clock.instant()));
        refresher = new SignalsRefresher(sources, sources, sources, sources, ShippedMarket.catalog(), clock, "test-ec2");
    }

    private LiveMarket market(Function<RefreshRequest, RefreshResult> refresh, LiveMarket.Settings settings) {
        return new LiveMarket(r -> {
            refreshes.incrementAndGet();
            return refresh.apply(r);
        }, () -> RefreshRequest.everyType(List.of("us-east-1"), TYPES), () -> FALLBACK,
                "the shipped test snapshot", settings, clock, warnings::add);
    }

    private LiveMarket market() {
        return market(refresher::refresh, LiveMarket.Settings.defaults().withTtl(Duration.ofMinutes(5)));
    }

    private static double price(MarketSnapshot m, String type) {
        return m.pools().stream().filter(p -> p.type().name().equals(type)).mapToDouble(PoolSignals::spotPrice)
                .findFirst().orElseThrow();
    }

    @Test
    void current_pricesEveryTypeOnce_andKeepsItForTheTtl() {
        LiveMarket market = market();

        MarketSnapshot first = market.current();
        clock.advance(Duration.ofMinutes(4));
        MarketSnapshot again = market.current();

        assertThat(first.pools()).extracting(p -> p.type().name()).containsExactlyInAnyOrder("m5.large", "c5.large");
        assertThat(again).isSameAs(first);
        assertThat(refreshes).hasValue(1);
        assertThat(market.fallback()).isEmpty();
        assertThat(market.age(clock)).isEqualTo(Duration.ofMinutes(4));
        assertThat(warnings).isEmpty();
    }

    @Test
    void current_afterTheTtl_refreshesAndFollowsTheNewPrice() {
        LiveMarket market = market();
        assertThat(price(market.current(), "m5.large")).isEqualTo(0.04);

        sources.prices.set(0, new SpotPrice("us-east-1", "us-east-1a", "m5.large", 0.02, clock.instant()));
        clock.advance(Duration.ofMinutes(5));

        assertThat(price(market.current(), "m5.large")).isEqualTo(0.02);
        assertThat(refreshes).hasValue(2);
    }

    @Test
    void noLiveSignals_servesTheFallback_sayingSoOnce_andSaysWhenTheyAreBack() {
        sources.pricesFailure = SpotkeeperException.of(ErrorCode.UNAVAILABLE, "connection refused");
        LiveMarket market = market();

        assertThat(market.current()).isSameAs(FALLBACK);
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(2));
            assertThat(market.current()).isSameAs(FALLBACK);
        }

        assertThat(warnings).singleElement().satisfies(w -> assertThat(w)
                .contains("live market signals unavailable").contains("connection refused")
                .contains("the shipped test snapshot"));
        assertThat(market.fallback()).hasValueSatisfying(f -> assertThat(f).startsWith("the shipped test snapshot")
                .contains("connection refused"));
        assertThat(refreshes).as("retried once a minute, not on every call").hasValue(6);

        sources.pricesFailure = null;
        clock.advance(Duration.ofMinutes(1));
        assertThat(market.current().pools()).isNotEmpty();
        assertThat(market.fallback()).isEmpty();
        assertThat(warnings).hasSize(2).last().satisfies(w -> assertThat(w).contains("are back"));
    }

    @Test
    void aFailedRefresh_keepsRecentLivePrices_ratherThanTheOldSnapshot() {
        LiveMarket market = market();
        MarketSnapshot live = market.current();

        sources.pricesFailure = SpotkeeperException.of(ErrorCode.UNAVAILABLE, "throttled");
        clock.advance(Duration.ofMinutes(6));
        assertThat(market.current()).isSameAs(live);
        assertThat(market.fallback()).isEmpty();

        clock.advance(Duration.ofMinutes(10));
        assertThat(market.current()).isSameAs(FALLBACK);
        assertThat(market.fallback()).isPresent();
        assertThat(warnings).singleElement().satisfies(w -> assertThat(w).contains("throttled"));
    }

    @Test
    void aRefreshThatHangs_holdsACallNoLongerThanTheWait_andIsUsedOnceItAnswers() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        LiveMarket market = market(r -> {
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return refresher.refresh(r);
        }, LiveMarket.Settings.defaults().withMaxWait(Duration.ofMillis(200)));

        long start = System.nanoTime();
        MarketSnapshot first = market.current();
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(first).isSameAs(FALLBACK);
        assertThat(waitedMillis).isLessThan(5_000);
        assertThat(market.fallback()).hasValueSatisfying(f -> assertThat(f).contains("no answer within"));
        answer.countDown();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (market.current() == FALLBACK && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(market.current().pools()).isNotEmpty();
        assertThat(market.fallback()).isEmpty();
        assertThat(refreshes).hasValue(1);
    }

    @Test
    void afterTheTtl_aRefreshThatHangs_holdsACallAboutASecond_servingTheLastLivePrices() {
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        LiveMarket market = market(r -> {
            if (calls.incrementAndGet() > 1) {
                try {
                    answer.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return refresher.refresh(r);
        }, LiveMarket.Settings.defaults().withTtl(Duration.ofMinutes(1)).withMaxWait(Duration.ofSeconds(60)));
        MarketSnapshot live = market.current();
        assertThat(live).isNotSameAs(FALLBACK);
        clock.advance(Duration.ofSeconds(61));

        long start = System.nanoTime();
        MarketSnapshot served = market.current();
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        answer.countDown();

        assertThat(served).isSameAs(live);
        // The usable prices are served after about a second, not after the whole minute of maxWait.
        assertThat(waitedMillis).isLessThan(30_000);
        assertThat(market.fallback()).isEmpty();
    }
}
