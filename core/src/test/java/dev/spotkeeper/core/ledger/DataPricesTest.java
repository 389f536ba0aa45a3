package dev.spotkeeper.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DataPricesTest {
    private static final long GIB = 1L << 30;

    private final DataPrices custom = new DataPrices(Map.of("r-a", 0.5, "r-b", 0.25), 0.75,
            Map.of(DataPrices.pair("r-a", "r-b"), 0.1, DataPrices.pair("r-b", "r-c"), 0.3,
                    DataPrices.pair("r-c", "r-b"), 0.4), 0.9);

    @Test
    void storage_isPricedByRegion_andUnlistedRegionsGetTheDefault() {
        assertThat(custom.storagePerGbMonth("r-a")).isEqualTo(0.5);
        assertThat(custom.storagePerGbMonth("r-b")).isEqualTo(0.25);
        assertThat(custom.storagePerGbMonth("elsewhere")).isEqualTo(0.75);
    }

    @Test
    void storagePerHour_proratesTheMonthOver730Hours() {
        assertThat(custom.storagePerHour(4 * GIB, "r-a")).isCloseTo(4 * 0.5 / 730, within(1e-12));
        assertThat(custom.storagePerHour(0, "r-a")).isZero();
    }

    @Test
    void transfer_isFreeWithinARegion_andPricedPerGibibyteBetweenRegions() {
        assertThat(custom.transfer(10 * GIB, "r-a", "r-a")).isZero();
        assertThat(custom.transfer(10 * GIB, "r-a", "r-b")).isCloseTo(10 * 0.1, within(1e-12));
        assertThat(custom.transfer(GIB / 2, "r-a", "r-b")).isCloseTo(0.05, within(1e-12));
    }

    @Test
    void transfer_aPairListedOnceCountsBothWays_butADirectionListedWins() {
        assertThat(custom.transferPerGb("r-b", "r-a")).isEqualTo(0.1);
        assertThat(custom.transferPerGb("r-b", "r-c")).isEqualTo(0.3);
        assertThat(custom.transferPerGb("r-c", "r-b")).isEqualTo(0.4);
        assertThat(custom.transferPerGb("r-a", "r-c")).isEqualTo(0.9);
    }

    @Test
    void defaults_areAwsPublishedUsPrices() {
        DataPrices d = DataPrices.defaults();

        for (String region : new String[] {"us-east-1", "us-east-2", "us-west-2"}) {
            assertThat(d.storagePerGbMonth(region)).isEqualTo(0.023);
        }
        assertThat(d.storagePerGbMonth("xx-nowhere-1")).isEqualTo(d.storagePerGbMonth("us-east-1"));
        assertThat(d.transferPerGb("us-east-1", "us-east-2")).isEqualTo(0.01);
        assertThat(d.transferPerGb("us-east-2", "us-east-1")).isEqualTo(0.01);
        assertThat(d.transferPerGb("us-east-1", "us-west-2")).isEqualTo(0.02);
        assertThat(d.transferPerGb("us-west-2", "us-east-2")).isEqualTo(0.02);
        assertThat(d.transferPerGb("us-west-1", "us-west-2")).isEqualTo(0.02);
        assertThat(d.transferPerGb("eu-west-1", "us-east-1")).isEqualTo(0.02);
        assertThat(d.transferPerGb("us-west-2", "us-west-2")).isZero();
    }

    @Test
    void negativeOrInfinitePrices_andNegativeBytes_areRefused() {
        assertThatThrownBy(() -> new DataPrices(Map.of("r", -0.1), 0, Map.of(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("storage price of r");
        assertThatThrownBy(() -> new DataPrices(Map.of(), 0, Map.of(), Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("default transfer price");
        assertThatThrownBy(() -> new DataPrices(Map.of(), Double.NaN, Map.of(), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> custom.transfer(-1, "r-a", "r-b")).isInstanceOf(IllegalArgumentException.class);
    }
}
