package dev.spotkeeper.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spotkeeper bench database} on a small table, one move then the loss: the command's output and CSV, not its
 * figures (they depend on the machine's load). Skipped where MariaDB is not installed.
 */
class DatabaseBenchTest {
    @TempDir
    Path dir;

    @Test
    void oneMoveAndTheLoss_printTheStepsAndTheDataAtRisk_andWriteThemToTheCsv() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mariadbd")) && Files.isExecutable(Path.of("/usr/bin/mariadb"))
                && Files.isExecutable(Path.of("/usr/bin/mariadb-backup")), "MariaDB is not installed here");
        Path out = dir.resolve("out");

        CliRun r = CliRun.of("bench", "database", "--moves", "1", "--rows", "1000", "--out", out.toString());

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .containsPattern("move 1 i-\\w+ -> i-\\w+: writes unavailable \\d+\\.\\d+ s, replacement serving"
                        + " \\d+\\.\\d s after the experiment \\(restore \\d+\\.\\d s, catch-up \\d+\\.\\d s, lag at"
                        + " hand-over \\d+ transactions\\)")
                .contains("acknowledged writes over 1 moves, 0 lost (goal 0)")
                .containsPattern("loss i-\\w+ -> i-\\w+ \\(TerminateInstances, no warning\\): replacement serving")
                .containsPattern("data at risk \\d+\\.\\d\\d s of writes \\(goal <= 5 s\\)")
                .contains("the 1000-row table has 1000 rows on the final primary");
        List<String> csv = Files.readAllLines(out.resolve("database.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).isEqualTo("move,from,to,write_unavailable_s,replacement_serving_s,restore_s,catch_up_s,"
                + "lag_at_hand_over_tx,shipped_bytes,data_at_risk_s,lost_acknowledged");
        String[] move = csv.get(1).split(",", -1);
        assertThat(move).hasSize(11);
        assertThat(Double.parseDouble(move[5])).as("restore of %s", csv.get(1)).isPositive()
                .isLessThan(Double.parseDouble(move[4]));
        assertThat(Double.parseDouble(move[6])).as("catch-up").isNotNegative();
        assertThat(move[10]).isEqualTo("0");
        String[] loss = csv.get(2).split(",", -1);
        assertThat(loss).hasSize(11);
        assertThat(loss[0]).isEqualTo("loss");
        assertThat(loss[1]).isEqualTo(move[2]);
        assertThat(Double.parseDouble(loss[5])).as("the loss's restore").isPositive();
        assertThat(Double.parseDouble(loss[9])).as("data at risk").isNotNegative();
    }
}
