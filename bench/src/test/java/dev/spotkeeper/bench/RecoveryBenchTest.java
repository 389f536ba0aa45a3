package dev.spotkeeper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spotkeeper bench recovery} on a tiny checkpoint: the command's output and files, not its figures (they
 * depend on the machine's load).
 */
class RecoveryBenchTest {
    @TempDir
    Path dir;

    @Test
    void smallRun_printsBothFiguresWithVerdicts_writesCsvAndChart_andLeavesNothingBehind() throws Exception {
        Path out = dir.resolve("out");
        Path work = dir.resolve("work");

        CliRun r = CliRun.of("bench", "recovery", "--size-gib", "0.002", "--runs", "1", "--work", work.toString(),
                "--out", out.toString());

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("run 1/1").contains("warning at the controller")
                .contains("launch requested").contains("replacement agent started").contains("replacement restored")
                .containsPattern("figure 1  warning received → replacement launch requested: median \\d+\\.\\d+ s .*(PASS|MISS)")
                .containsPattern("figure 2  FIS warning → replacement restored: median \\d+\\.\\d+ s.*(PASS|MISS)")
                .containsPattern("(?m)^median +\\d");
        List<String> csv = Files.readAllLines(out.resolve("recovery.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).isEqualTo("run,victim,replacement,warning_delivery_s,launch_after_warning_s,agent_start_s,"
                + "launch_to_restore_start_s,transfer_s,restored_after_warning_s,restored_minus_transfer_s,restored_bytes");
        String[] run = csv.get(1).split(",");
        assertThat(run).hasSize(11);
        assertThat(run[1]).startsWith("i-").isNotEqualTo(run[2]);
        assertThat(run[2]).startsWith("i-");
        // The replacement restored the whole checkpoint the job wrote: the large file and the small ones.
        assertThat(Long.parseLong(run[10])).isEqualTo((long) (0.002 * (1L << 30)));
        for (int i = 3; i <= 9; i++) {
            assertThat(Double.parseDouble(run[i])).as("column %d of %s", i, csv.get(1)).isGreaterThanOrEqualTo(-1.0);
        }
        assertThat(Double.parseDouble(run[8])).as("restored after the warning").isPositive()
                .isGreaterThan(Double.parseDouble(run[7]));
        assertThat(csv.get(2)).startsWith("median,");
        assertThat(Files.readString(out.resolve("recovery.svg"))).startsWith("<svg")
                .contains("warning → launch requested").contains("restore (transfer, agent-reported)");
        // The emulator's data, with the instances' disks, is gone: nothing is left running or stored.
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void badOptions_getClearErrors_andStartNothing() throws Exception {
        CliRun runs = CliRun.of("bench", "recovery", "--runs", "0", "--work", dir.resolve("w").toString());
        assertThat(runs.exitCode()).isEqualTo(2);
        assertThat(runs.err()).contains("--runs must be between 1 and 50, got 0").doesNotContain("Exception");

        CliRun size = CliRun.of("bench", "recovery", "--size-gib", "-1", "--work", dir.resolve("w").toString());
        assertThat(size.exitCode()).isEqualTo(2);
        assertThat(size.err()).contains("--size-gib must be more than 0");

        CliRun huge = CliRun.of("bench", "recovery", "--size-gib", "60", "--runs", "50", "--work", dir.resolve("w").toString());
        assertThat(huge.exitCode()).isEqualTo(2);
        assertThat(huge.err()).contains("free but 50 run(s)").contains("--work DIR");

        Path file = Files.writeString(dir.resolve("a-file"), "x");
        CliRun notDir = CliRun.of("bench", "recovery", "--work", file.toString());
        assertThat(notDir.exitCode()).isEqualTo(2);
        assertThat(notDir.err()).contains("--work " + file + " cannot be used as a directory");

        CliRun word = CliRun.of("bench", "recovery", "--size-gib", "lots");
        assertThat(word.exitCode()).isNotZero();
        assertThat(word.err()).contains("--size-gib").contains("lots");
    }
}
