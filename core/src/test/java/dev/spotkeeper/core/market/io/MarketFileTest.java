package dev.spotkeeper.core.market.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.InterruptionBand;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.PoolSignals;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarketFileTest {
    private static final String HEADER = String.join(",", MarketFile.CSV_COLUMNS);

    @Test
    void csv_readsKnownAndUnknownValues() {
        String text = HEADER + "\n"
                + "us-east-1,use1-az1,us-east-1a,m5.xlarge,0.0712,0.192,9,1,2026-01-31T12:00:00Z\n"
                + "us-east-1,,us-east-1b,m5.xlarge,0.08,,,,2026-01-31T12:00:00Z\n";

        MarketSnapshot m = MarketFile.parse("prices.csv", text, ShippedMarket.catalog());

        assertThat(m.pools()).hasSize(2);
        PoolSignals a = m.pools().get(0);
        assertThat(a.pool().zone()).isEqualTo("us-east-1a");
        assertThat(a.placementScore()).isEqualTo(9);
        assertThat(a.band()).isEqualTo(InterruptionBand.FROM_5_TO_10);
        assertThat(a.type().vcpus()).isEqualTo(4);
        PoolSignals b = m.pools().get(1);
        assertThat(b.hasPlacementScore()).isFalse();
        assertThat(b.band()).isNull();
        assertThat(b.onDemandPrice()).isNaN();
    }

    @Test
    void csv_withUnknownTypeAndItsFacts_describesTheType() {
        String text = HEADER + ",vcpus,memory_gib,gpus,arch\n"
                + "us-east-1,use1-az1,,z9.huge,1.5,3,5,0,2026-01-31T12:00:00Z,96,768,2,arm64\n";

        PoolSignals p = MarketFile.parse("own.csv", text, ShippedMarket.catalog()).pools().get(0);

        assertThat(p.type().vcpus()).isEqualTo(96);
        assertThat(p.type().gpus()).isEqualTo(2);
    }

    @Test
    void csv_whenAValueIsWrong_namesFileLineAndColumn() {
        String text = HEADER + "\n"
                + "us-east-1,use1-az1,,m5.xlarge,0.07,0.19,9,1,2026-01-31T12:00:00Z\n"
                + "us-east-1,use1-az2,,m5.xlarge,abc,0.19,9,1,2026-01-31T12:00:00Z\n";

        assertThatThrownBy(() -> MarketFile.parse("prices.csv", text, ShippedMarket.catalog()))
                .isInstanceOf(SpotkeeperException.class)
                .hasMessage("prices.csv:3: spot_price should be a number but is 'abc'")
                .satisfies(e -> assertThat(((SpotkeeperException) e).code()).isEqualTo(ErrorCode.MALFORMED_FILE));
    }

    @Test
    void csv_rejectsMissingColumnsShortRowsUnknownTypesAndBadBands() {
        assertThatThrownBy(() -> MarketFile.parse("f.csv", "region,az_id\nx,y\n", ShippedMarket.catalog()))
                .hasMessageStartingWith("f.csv:1: missing column(s) az_name, instance_type");
        assertThatThrownBy(() -> MarketFile.parse("f.csv", HEADER + "\nus-east-1,use1-az1\n", ShippedMarket.catalog()))
                .hasMessageStartingWith("f.csv:2: expected 9 fields but found 2");
        assertThatThrownBy(() -> MarketFile.parse("f.csv",
                HEADER + "\nus-east-1,use1-az1,,m5.xlargee,0.07,,,,2026-01-31T12:00:00Z\n", ShippedMarket.catalog()))
                .hasMessageContaining("f.csv:2: unknown instance type 'm5.xlargee'")
                .hasMessageContaining("did you mean m5.xlarge");
        assertThatThrownBy(() -> MarketFile.parse("f.csv",
                HEADER + "\nus-east-1,use1-az1,,m5.xlarge,0.07,,,7,2026-01-31T12:00:00Z\n", ShippedMarket.catalog()))
                .hasMessageContaining("f.csv:2: interruption band must be 0..4");
        assertThatThrownBy(() -> MarketFile.parse("f.csv", HEADER + "\n", ShippedMarket.catalog()))
                .hasMessageContaining("no pools");
    }

    @Test
    void json_roundTripsThroughTheSnapshotStore(@TempDir Path dir) throws Exception {
        MarketSnapshot original = MarketFile.parse("prices.csv", HEADER + "\n"
                + "us-east-1,use1-az1,us-east-1a,m5.xlarge,0.0712,0.192,9,1,2026-01-31T12:00:00Z\n"
                + "us-west-2,usw2-az1,,c5.large,0.03,,,,2026-01-31T12:00:00Z\n", ShippedMarket.catalog());
        SnapshotStore store = new SnapshotStore(dir);

        Path saved = store.save(original);
        MarketSnapshot back = store.latest(ShippedMarket.catalog()).orElseThrow();

        assertThat(back.pools()).isEqualTo(original.pools());
        assertThat(back.time()).isEqualTo(original.time());
        assertThat(Files.list(dir)).containsExactly(saved);
    }

    @Test
    void json_whenNotJson_namesTheLine() {
        assertThatThrownBy(() -> MarketFile.parse("m.json", "{\n \"pools\": [\n  {\"region\" \"x\"}\n]}", ShippedMarket.catalog()))
                .hasMessageStartingWith("m.json:3: not valid JSON");
    }

    @Test
    void spotLakeCsv_isRecognisedByItsHeader_andBadScoresAreRefusedWithTheLine() {
        String text = "SpotPrice,Savings,SPS,AZ,Region,InstanceType,IF,time\n"
                + "0.3498,77,3,aps1-az1,ap-south-1,m5d.4xlarge,3.0,2022-07-12 04:20:02+00:00\n"
                + "0.3498,77,3,aps1-az1,ap-south-1,m5d.4xlarge,2.7,2022-07-12 04:20:02+00:00\n";

        assertThatThrownBy(() -> MarketFile.parse("lake.csv", text, ShippedMarket.catalog()))
                .hasMessageStartingWith("lake.csv:3: SpotLake interruption score must be one of");
        assertThat(MarketFile.parse("lake.csv", text.substring(0, text.lastIndexOf("0.3498")), ShippedMarket.catalog())
                .pools()).hasSize(1);
    }
}
