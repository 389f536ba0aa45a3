package dev.spotkeeper.core.market.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spotkeeper.core.market.Architecture;
import dev.spotkeeper.core.market.InstanceType;
import dev.spotkeeper.core.market.InterruptionBand;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.PoolSignals;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ShippedMarketTest {
    @Test
    void spotAdvisor_readsEveryRegionTypeAndLinuxEntry() {
        SpotAdvisorFeed feed = ShippedMarket.spotAdvisor();

        assertThat(feed.linuxByRegion()).hasSize(33);
        assertThat(feed.catalog().size()).isEqualTo(929);
        assertThat(feed.linuxEntryCount()).isEqualTo(14962);
        assertThat(feed.linux("us-east-1", "m5.large")).get()
                .isEqualTo(new SpotAdvisorFeed.Entry(InterruptionBand.FROM_15_TO_20, 66));
        assertThat(feed.catalog().require("m5.large")).isEqualTo(new InstanceType("m5.large", 2, 8.0, 0, Architecture.X86_64));
    }

    @Test
    void catalog_knowsGpusAndGravitonFromTheTypeName() {
        assertThat(ShippedMarket.catalog().require("p3.2xlarge").gpus()).isEqualTo(1);
        assertThat(ShippedMarket.catalog().require("p3.16xlarge").gpus()).isEqualTo(8);
        assertThat(ShippedMarket.catalog().require("g4dn.12xlarge").gpus()).isEqualTo(4);
        assertThat(ShippedMarket.catalog().require("m6g.xlarge").architecture()).isEqualTo(Architecture.ARM64);
        assertThat(ShippedMarket.catalog().require("g4dn.xlarge").architecture()).isEqualTo(Architecture.X86_64);
        assertThat(Architecture.ofInstanceType("is4gen.large")).isEqualTo(Architecture.ARM64);
        assertThat(Architecture.ofInstanceType("a1.large")).isEqualTo(Architecture.ARM64);
    }

    @Test
    void spotLake_readsAllPoolsWithAzIdsScoresAndBands() {
        MarketSnapshot m = ShippedMarket.spotLake();

        assertThat(m.pools()).hasSize(18198);
        assertThat(m.regions()).hasSize(17);
        assertThat(m.instanceTypes()).hasSize(522);
        assertThat(m.time()).isEqualTo(Instant.parse("2022-07-12T04:20:02Z"));
        PoolSignals first = m.pools().get(0);
        assertThat(first.pool().key()).isEqualTo("us-west-1/usw1-az1/r6gd.16xlarge");
        assertThat(first.spotPrice()).isEqualTo(1.1536);
        assertThat(first.savingsPercent()).isCloseTo(73.0, within(1e-9));
        assertThat(first.placementScore()).isEqualTo(1);
        assertThat(first.band()).isEqualTo(InterruptionBand.FROM_5_TO_10);
        assertThat(m.pools()).filteredOn(p -> p.pool().key().equals("us-east-1/use1-az1/p3.2xlarge"))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.spotPrice()).isEqualTo(0.918);
                    assertThat(p.band()).isEqualTo(InterruptionBand.OVER_20);
                });
    }

    @Test
    void spotLakeScore_mapsToBandsAsDocumented() {
        assertThat(InterruptionBand.ofSpotLakeScore(3.0)).isEqualTo(InterruptionBand.UNDER_5);
        assertThat(InterruptionBand.ofSpotLakeScore(2.5)).isEqualTo(InterruptionBand.FROM_5_TO_10);
        assertThat(InterruptionBand.ofSpotLakeScore(2.0)).isEqualTo(InterruptionBand.FROM_10_TO_15);
        assertThat(InterruptionBand.ofSpotLakeScore(1.5)).isEqualTo(InterruptionBand.FROM_15_TO_20);
        assertThat(InterruptionBand.ofSpotLakeScore(1.0)).isEqualTo(InterruptionBand.OVER_20);
    }
}
