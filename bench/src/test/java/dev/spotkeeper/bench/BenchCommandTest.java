package dev.spotkeeper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    @Test
    void benchPlacement_printsFiguresAndWritesCsvAndChart(@TempDir Path dir) throws Exception {
        CliRun run = CliRun.of("bench", "placement", "--runs", "3", "--warmup", "1", "--pools", "2000", "--out", dir.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("spotlake", "18198", "synthetic", "2000", "expected-cost", "median ms");
        List<String> csv = Files.readAllLines(dir.resolve("b1-placement.csv"));
        assertThat(csv).hasSize(1 + 2 * 4);
        assertThat(csv.get(0)).isEqualTo("market,pools,strategy,median_ms,p90_ms,goal_ms,winner");
        assertThat(Files.readString(dir.resolve("b1-placement.svg"))).startsWith("<svg").contains("expected-cost").endsWith("</svg>\n");
    }

    @Test
    void benchNotify_refusesAFourthWarningPerWorkload_whichWouldBeGroupedNotSent() {
        CliRun run = CliRun.of("bench", "notify", "--warnings", "8", "--per-workload", "4");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--per-workload from 1 to 3", "grouped, not sent");
    }
}
