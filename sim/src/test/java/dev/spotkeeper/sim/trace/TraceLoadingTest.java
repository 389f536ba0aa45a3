package dev.spotkeeper.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.SpotkeeperException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceLoadingTest {
    @TempDir
    Path dir;

    private static String resource(String name) throws IOException {
        try (InputStream in = TraceLoadingTest.class.getResourceAsStream("/dev/spotkeeper/sim/traces/aws-v100-2023/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shippedV100_loadsNineZonesFromTheClasspath_withOneMeaningAvailable() throws IOException {
        Trace t = V100Traces.shipped();
        assertThat(t.zones()).containsExactlyElementsOf(V100Traces.ZONES);
        String csv = resource("us-west-2b_v100_1.csv");
        String[] lines = csv.strip().split("\n");
        assertThat(t.ticks()).isEqualTo(lines.length - 1);
        int z = t.zones().indexOf("us-west-2b");
        for (int i = 1; i < lines.length; i++) {
            assertThat(t.available(z, i - 1)).isEqualTo(lines[i].strip().endsWith(",1"));
        }
        assertThat(t.regions()).contains("us-east-1", "us-east-2", "us-west-2");
        assertThat(t.gapSeconds()).isBetween(190.0, 200.0);
        assertThat(t.onDemandPrice()).isEqualTo(3.06);
    }

    @Test
    void shippedBamboo_becomesOneZoneWithReclaimsAsUnavailableTicks() {
        Trace t = BambooTraces.shipped("p3", 60, 0.9, 3.06);
        assertThat(t.zoneCount()).isEqualTo(1);
        assertThat(t.ticks() * t.gapHours()).isBetween(11.0, 12.0);
        int down = 0;
        for (int i = 0; i < t.ticks(); i++) {
            down += t.available(0, i) ? 0 : 1;
        }
        assertThat(down).isPositive().isLessThan(t.ticks());
    }

    private Map<String, String> v100Files() throws IOException {
        Map<String, String> files = new HashMap<>();
        for (String zone : V100Traces.ZONES) {
            files.put(zone + "_v100_1.csv", resource(zone + "_v100_1.csv"));
        }
        files.put("v100_spot_prices.json", resource("v100_spot_prices.json"));
        return files;
    }

    @Test
    void v100_withWrongColumns_namesTheFileAndTheHeader() throws IOException {
        Map<String, String> files = v100Files();
        files.put("us-east-1c_v100_1.csv", "time,avail\n2023-02-15 22:08:16,0\n");
        assertThatThrownBy(() -> V100Traces.load(files::get, "dir/"))
                .isInstanceOf(SpotkeeperException.class)
                .hasMessageContaining("dir/us-east-1c_v100_1.csv:1")
                .hasMessageContaining("wrong columns");
    }

    @Test
    void v100_withNoRows_isRefused() throws IOException {
        Map<String, String> files = v100Files();
        files.put("us-east-1a_v100_1.csv", "date,availability\n");
        assertThatThrownBy(() -> V100Traces.load(files::get, "dir/"))
                .hasMessageContaining("dir/us-east-1a_v100_1.csv").hasMessageContaining("no rows");
    }

    @Test
    void v100_withUnalignedTicks_namesTheZoneThatDiffers() throws IOException {
        Map<String, String> files = v100Files();
        String csv = files.get("us-west-2c_v100_1.csv");
        files.put("us-west-2c_v100_1.csv", csv.replaceFirst("2023-02-15 22:11:31", "2023-02-15 22:11:32"));
        assertThatThrownBy(() -> V100Traces.load(files::get, "dir/"))
                .hasMessageContaining("dir/us-west-2c_v100_1.csv").hasMessageContaining("unaligned ticks");
    }

    @Test
    void v100_withAPriceSeriesOfTheWrongLength_namesTheSeries() throws IOException {
        Map<String, String> files = v100Files();
        files.put("v100_spot_prices.json", files.get("v100_spot_prices.json").replaceFirst("\\[([0-9.]+),", "["));
        assertThatThrownBy(() -> V100Traces.load(files::get, "dir/"))
                .hasMessageContaining("dir/v100_spot_prices.json")
                .hasMessageContaining("us-east-1a_v100_1")
                .hasMessageContaining("values but the trace has");
    }

    @Test
    void ownJson_loadsZonesPricesAndDerivedRegions() throws IOException {
        Path f = dir.resolve("t.json");
        Files.writeString(f, """
                {"gap-seconds": 300, "on-demand-price": 2.5,
                 "zones": [{"zone": "eu-west-1a", "availability": [1, 0, 1], "prices": [0.5, 0.6, 0.7]},
                           {"zone": "lab", "region": "home", "availability": [0, 1, 1], "price": 0.4}]}""");
        Trace t = TraceFile.read(f);
        assertThat(t.zones()).containsExactly("eu-west-1a", "lab");
        assertThat(t.regions()).containsExactly("eu-west-1", "home");
        assertThat(t.available(0, 1)).isFalse();
        assertThat(t.price(0, 2)).isEqualTo(0.7);
        assertThat(t.price(1, 0)).isEqualTo(0.4);
        assertThat(t.gapSeconds()).isEqualTo(300);
    }

    @Test
    void ownJson_withAPriceSeriesOfTheWrongLength_isRefused() throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, """
                {"gap-seconds": 300, "on-demand-price": 2.5,
                 "zones": [{"zone": "a", "availability": [1, 0, 1], "prices": [0.5, 0.6]}]}""");
        assertThatThrownBy(() -> TraceFile.read(f)).hasMessageContaining(f.toString())
                .hasMessageContaining("a.prices").hasMessageContaining("2 values but the trace has 3 ticks");
    }

    @Test
    void ownJson_withUnalignedZones_isRefused() throws IOException {
        Path f = dir.resolve("unaligned.json");
        Files.writeString(f, """
                {"gap-seconds": 300, "on-demand-price": 2.5,
                 "zones": [{"zone": "a", "availability": [1, 0, 1], "price": 1},
                           {"zone": "b", "availability": [1, 0], "price": 1}]}""");
        assertThatThrownBy(() -> TraceFile.read(f)).hasMessageContaining(f.toString())
                .hasMessageContaining("b.availability");
    }

    @Test
    void ownJson_withAnUnknownKey_suggestsTheRightOne() throws IOException {
        Path f = dir.resolve("typo.json");
        Files.writeString(f, "{\"gap-second\": 300, \"on-demand-price\": 2.5, \"zones\": []}");
        assertThatThrownBy(() -> TraceFile.read(f)).hasMessageContaining("unknown key 'gap-second'")
                .hasMessageContaining("did you mean gap-seconds");
    }

    @Test
    void ownCsv_loads_andRefusesSkippedTicks() throws IOException {
        Path ok = dir.resolve("t.csv");
        Files.writeString(ok, "# gap-seconds: 60\n# on-demand-price: 3\nzone,tick,available,price\n"
                + "us-east-1a,0,1,1.0\nus-east-1a,1,0,1.1\nus-east-2b,0,0,0.9\nus-east-2b,1,1,0.8\n");
        Trace t = TraceFile.read(ok);
        assertThat(t.zones()).containsExactly("us-east-1a", "us-east-2b");
        assertThat(t.available(1, 1)).isTrue();
        assertThat(t.price(0, 1)).isEqualTo(1.1);

        Path skipped = dir.resolve("skip.csv");
        Files.writeString(skipped, "# gap-seconds: 60\n# on-demand-price: 3\nzone,tick,available,price\n"
                + "a,0,1,1.0\na,2,0,1.1\n");
        assertThatThrownBy(() -> TraceFile.read(skipped)).hasMessageContaining(skipped + ":5")
                .hasMessageContaining("unaligned ticks");
    }

    @Test
    void ownCsv_withWrongColumnsOrNoRows_isRefused() throws IOException {
        Path wrong = dir.resolve("wrong.csv");
        Files.writeString(wrong, "# gap-seconds: 60\n# on-demand-price: 3\nzone,time,up\n");
        assertThatThrownBy(() -> TraceFile.read(wrong)).hasMessageContaining(wrong + ":3").hasMessageContaining("wrong columns");
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "# gap-seconds: 60\n# on-demand-price: 3\nzone,tick,available,price\n");
        assertThatThrownBy(() -> TraceFile.read(empty)).hasMessageContaining(empty.toString()).hasMessageContaining("no rows");
    }

    @Test
    void region_isInferredFromAwsAndGoogleCloudZoneNames() {
        assertThat(Trace.inferRegion("us-east-2b")).contains("us-east-2");
        assertThat(Trace.inferRegion("us-gov-west-1a")).contains("us-gov-west-1");
        assertThat(Trace.inferRegion("us-west-2-lax-1a")).contains("us-west-2");
        assertThat(Trace.inferRegion("us-east-1-wl1-bos-wlz-1")).contains("us-east-1");
        assertThat(Trace.inferRegion("us-central1-a")).contains("us-central1");
        assertThat(Trace.inferRegion("europe-west4-b")).contains("europe-west4");
        assertThat(Trace.inferRegion("northamerica-northeast1-c")).contains("northamerica-northeast1");
        assertThat(Trace.inferRegion("lab")).isEmpty();
        assertThat(Trace.regionOf("lab")).isEqualTo("lab");
    }

    @Test
    void ownJson_withOnDemandPricesPerZoneAndHints_keepsBoth() throws IOException {
        Path f = dir.resolve("gcp.json");
        Files.writeString(f, """
                {"gap-seconds": 600,
                 "zones": [{"zone": "us-central1-a", "availability": [1, 1], "price": 0.7, "on-demand-price": 2.48,
                            "scores": [9, 2]},
                           {"zone": "europe-west4-b", "availability": [0, 1], "price": 0.8, "on-demand-price": 2.73}]}""");
        Trace t = TraceFile.read(f);
        assertThat(t.regions()).containsExactly("us-central1", "europe-west4");
        assertThat(t.onDemandPrice(0)).isEqualTo(2.48);
        assertThat(t.onDemandPrice(1)).isEqualTo(2.73);
        assertThat(t.score(0, 1)).isEqualTo(2);
        assertThat(t.score(1, 1)).isZero();
        assertThat(t.hasScores()).isTrue();
    }

    @Test
    void ownJson_withoutAnyOnDemandPriceForAZone_isRefusedNamingIt() throws IOException {
        Path f = dir.resolve("no-od.json");
        Files.writeString(f, """
                {"gap-seconds": 600, "zones": [{"zone": "us-central1-a", "availability": [1], "price": 0.7}]}""");
        assertThatThrownBy(() -> TraceFile.read(f)).hasMessageContaining(f.toString())
                .hasMessageContaining("zone us-central1-a has no on-demand price");
    }

    @Test
    void ownCsv_withRegionAndScoreColumns_andAnOnDemandPricePerRegion() throws IOException {
        Path f = dir.resolve("cols.csv");
        Files.writeString(f, "# gap-seconds: 60\n# on-demand-price: 3\n# on-demand-price home: 2.5\n"
                + "tick,zone,region,available,price,score\n"
                + "0,lab-a,home,1,1.0,8\n1,lab-a,home,0,1.1,3\n0,us-central1-b,,1,0.9,0\n1,us-central1-b,,1,0.9,7\n");
        Trace t = TraceFile.read(f);
        assertThat(t.regions()).containsExactly("home", "us-central1");
        assertThat(t.onDemandPrice(0)).isEqualTo(2.5);
        assertThat(t.onDemandPrice(1)).isEqualTo(3);
        assertThat(t.score(0, 1)).isEqualTo(3);
        assertThat(t.score(1, 1)).isEqualTo(7);

        Path bad = dir.resolve("bad-score.csv");
        Files.writeString(bad, "# gap-seconds: 60\n# on-demand-price: 3\nzone,tick,available,price,score\nlab,0,1,1.0,11\n");
        assertThatThrownBy(() -> TraceFile.read(bad)).hasMessageContaining(bad + ":4").hasMessageContaining("score must be 1–10");
    }
}
