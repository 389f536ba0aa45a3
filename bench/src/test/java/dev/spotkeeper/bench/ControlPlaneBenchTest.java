package dev.spotkeeper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** B6 at a small size (the figures are not asserted): every event is handled exactly once in every case, and the CSV and chart are written. */
class ControlPlaneBenchTest {
    @Test
    void smallRun_countsEveryEventOnce_andWritesCsvAndChart(@TempDir Path dir) throws Exception {
        // Two cases keep the suite short: one controller in memory, and two invocations of the events function at
        // once on DynamoDB Local (the state store and the concurrency the other cases have one of each).
        CliRun run = CliRun.of("bench", "control-plane", "--instances", "10", "--events", "20",
                "--cases", "memory,lambda-2", "--out", dir.toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).as(run.out()).isIn(0, 1); // 1: a goal missed, which is a figure, not a failure
        List<String> csv = Files.readAllLines(dir.resolve("b6-control-plane.csv"));
        assertThat(csv.get(0)).startsWith("case,instances,concurrency,events,handled,duplicates,failed_again,completed_twice");
        assertThat(csv).hasSize(1 + 2);
        for (String row : csv.subList(1, csv.size())) {
            String[] f = row.split(",");
            assertThat(f[1]).as(row).isEqualTo("10");
            assertThat(f[3]).as("events put: " + row).isEqualTo("20");
            assertThat(f[4]).as("each handled once: " + row).isEqualTo("20");
            assertThat(f[5]).as("no duplicates: " + row).isEqualTo("0");
            assertThat(f[7]).as("none completed twice: " + row).isEqualTo("0");
        }
        assertThat(csv.subList(1, csv.size())).extracting(r -> r.split(",")[0]).containsExactly("memory", "lambda-2");
        assertThat(Files.readString(dir.resolve("b6-control-plane.svg"))).startsWith("<svg").contains("lambda-2")
                .endsWith("</svg>\n");
        assertThat(run.out()).contains("in memory:");
    }

    @Test
    void refusesAnUnknownCase() {
        CliRun run = CliRun.of("bench", "control-plane", "--cases", "memory,redis");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'redis' is none of memory, dynamodb, lambda-N");
    }
}
