package dev.spotkeeper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvacuationBenchTest {
    @TempDir
    Path dir;

    @Test
    void benchData_changesTheRequestedShareOfTheBytes() throws Exception {
        Path ckpt = dir.resolve("ckpt");
        long total = EvacuationBench.BenchData.create(ckpt, 4 << 20, 40, new Random(1));
        byte[] before = Files.readAllBytes(ckpt.resolve("model.bin"));

        long changed = EvacuationBench.BenchData.change(ckpt, 0.05, new Random(2));

        assertThat(total).isBetween((4L << 20) - 40, 4L << 20);
        assertThat(changed / (double) total).isBetween(0.045, 0.055);
        byte[] after = Files.readAllBytes(ckpt.resolve("model.bin"));
        int differing = 0;
        for (int i = 0; i < before.length; i++) {
            differing += before[i] != after[i] ? 1 : 0;
        }
        assertThat(differing).isGreaterThan((int) (before.length * 0.049));
    }

    @Test
    void smallRun_printsFiguresAndWritesCsvAndChart() throws Exception {
        Path out = dir.resolve("out");

        CliRun r = CliRun.of("bench", "evacuation", "--size-gib", "0.1", "--small-files", "20", "--runs", "1",
                "--no-aws-cli", "--work", dir.resolve("work").toString(), "--out", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("median upload: spotkeeper").contains("incremental after changing 5.0 %");
        List<String> csv = Files.readAllLines(out.resolve("b3-evacuation.csv"));
        assertThat(csv.get(0)).isEqualTo("run,tool,seconds,bytes_sent,mb_per_s");
        String share = csv.stream().filter(l -> l.startsWith("incremental,share-of-bytes")).findFirst().orElseThrow().split(",")[2];
        assertThat(Double.parseDouble(share)).isBetween(0.01, 0.30);
        assertThat(Files.readString(out.resolve("b3-evacuation.svg"))).startsWith("<svg");
    }
}
