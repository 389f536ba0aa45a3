package dev.spotkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.market.io.MarketFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdviseCommandTest {
    @Test
    void advise_printsARankedTableOfPoolsThatMeetTheRequirements() {
        CliRun run = CliRun.of("advise", "--shipped", "--vcpus", "4", "--memory", "16", "--regions", "us-east-1,us-west-2", "--top", "5");

        assertThat(run.exitCode()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).contains("spotlake-snapshot-2022-07-12.csv").contains("18198 pools").contains("expected-cost");
        assertThat(run.out()).contains("rank  pool").contains("savings").contains("sps").contains("band");
        List<String> rows = lines.stream().filter(l -> l.matches("\\s*\\d+\\s+us-(east-1|west-2)/.*")).toList();
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0)).startsWith("   1");
    }

    @Test
    void advise_json_listsPoolsWithTheirScoreTermsAndHonoursTheRequirements() {
        CliRun run = CliRun.of("advise", "--shipped", "--vcpus", "8", "--memory", "32", "--arch", "arm64", "--top", "3",
                "--strategy", "price-capacity-optimized", "--json");

        assertThat(run.exitCode()).isZero();
        Map<String, Object> root = Json.parseObject(run.out().trim());
        assertThat(root.get("strategy")).isEqualTo("price-capacity-optimized");
        List<?> pools = (List<?>) root.get("pools");
        assertThat(pools).hasSize(3);
        for (Object o : pools) {
            Map<?, ?> p = (Map<?, ?>) o;
            assertThat(((Number) p.get("vcpus")).intValue()).isGreaterThanOrEqualTo(8);
            assertThat(((Number) p.get("memoryGib")).doubleValue()).isGreaterThanOrEqualTo(32);
            assertThat((List<?>) p.get("terms")).isNotEmpty();
            assertThat(p.get("architecture")).isEqualTo("arm64");
        }
    }

    @Test
    void advise_showsEachPoolsArchitecture_soAGravitonPoolIsNotMistakenForX86() {
        CliRun run = CliRun.of("advise", "--shipped", "--types", "m5.large,m6g.large", "--regions", "us-east-1",
                "--top", "20");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("  arch  ");
        List<String> rows = run.out().lines().filter(l -> l.matches("\\s*\\d+\\s+us-east-1/.*")).toList();
        assertThat(rows).isNotEmpty();
        for (String row : rows) {
            assertThat(row).matches(row.contains("m6g.large") ? ".*m6g\\.large\\s+arm64\\s.*" : ".*m5\\.large\\s+x86_64\\s.*");
        }
        assertThat(rows).anyMatch(r -> r.contains("arm64")).anyMatch(r -> r.contains("x86_64"));
    }

    @Test
    void advise_csvAndExplain() {
        CliRun csv = CliRun.of("advise", "--shipped", "--vcpus", "4", "--top", "2", "--csv");
        CliRun explain = CliRun.of("advise", "--shipped", "--gpus", "1", "--top", "1", "--explain");

        assertThat(csv.out().lines().toList()).hasSize(3);
        assertThat(csv.out()).startsWith("rank,pool,arch,vcpu,mem_gib,gpu,price,on_demand,savings,sps,band,score");
        assertThat(explain.out()).contains("#1 ").contains("band hazard /h").contains("placement multiplier")
                .contains("expected $/useful h");
    }

    @Test
    void advise_withAnUnknownRegion_suggestsTheNearestAndPrintsNoStackTrace() {
        CliRun run = CliRun.of("advise", "--shipped", "--regions", "us-esat-1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: unknown region 'us-esat-1' (did you mean us-east-1")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void advise_withAnUnknownType_suggestsTheNearest() {
        CliRun run = CliRun.of("advise", "--shipped", "--types", "c5.xlarg");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown instance type 'c5.xlarg'").contains("c5.xlarge");
    }

    @Test
    void advise_whenNothingMatches_saysWhichRequirementRemovedTheMost() {
        CliRun run = CliRun.of("advise", "--shipped", "--vcpus", "4", "--max-price", "0.0001");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no pool of 18198 meets the requirements").contains("removed the most");
    }

    @Test
    void advise_withOwnMarketFile_ranksItsPools_andAMalformedOneIsNamedWithItsLine(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("market.csv");
        Files.writeString(good, String.join(",", MarketFile.CSV_COLUMNS) + "\n"
                + "eu-west-1,euw1-az1,eu-west-1a,m5.xlarge,0.05,0.214,8,0,2026-03-01T00:00:00Z\n"
                + "eu-west-1,euw1-az2,eu-west-1b,m5.xlarge,0.04,0.214,2,4,2026-03-01T00:00:00Z\n");
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, String.join(",", MarketFile.CSV_COLUMNS) + "\n"
                + "eu-west-1,euw1-az1,eu-west-1a,m5.xlarge,cheap,0.214,8,0,2026-03-01T00:00:00Z\n");

        CliRun ok = CliRun.of("advise", "--market", good.toString(), "--strategy", "capacity-optimized", "--csv");
        CliRun broken = CliRun.of("advise", "--market", bad.toString());

        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out().lines().skip(1).findFirst().orElseThrow()).contains("eu-west-1/eu-west-1a/m5.xlarge");
        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.err()).isEqualTo("error: " + bad + ":2: spot_price should be a number but is 'cheap'" + System.lineSeparator());
    }

    @Test
    void help_listsTheCommands() {
        CliRun run = CliRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("advise").contains("bench");
    }
}
