package dev.spotkeeper.spec.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlSpecsTest {
    @TempDir
    Path dir;

    private static final String TRAINING = """
            name: resnet50
            kind: job
            requirements:
              vcpus: 8
              memory: 60
              gpus: 1
              regions: [us-east-1, us-east-2, us-west-2]
            placement:
              strategy: expected-cost
            maxPrice: 1.50
            maxDuration: 48h
            budget: 120
            deadline: 60h
            buckets:
              source: s3://ml-team/resnet/src
              results: s3://ml-team/resnet/results
              checkpoints: s3://ml-team/resnet/ckpt
            setup: pip install -r requirements.txt
            run: python train.py --epochs 90 --ckpt-dir "$SPOTKEEPER_CHECKPOINT_DIR"
            checkpoint:
              dir: /work/ckpt
              signal: SIGUSR1
              syncInterval: 5m
            relocation:
              every: 6h
              minGain: 0.15
            """;

    @Test
    void parse_theDocumentedTrainingExample() {
        WorkloadSpec s = YamlSpecs.parse("train.yaml", TRAINING);

        assertThat(s.name()).isEqualTo("resnet50");
        assertThat(s.requirements().regions()).hasSize(3);
        assertThat(s.deadline()).contains(Duration.ofHours(60));
        assertThat(s.buckets().checkpoints()).isEqualTo("s3://ml-team/resnet/ckpt");
        assertThat(s.job().run()).contains("$SPOTKEEPER_CHECKPOINT_DIR");
    }

    @Test
    void parse_aTypoInANestedKey_namesItsLine() {
        String text = TRAINING.replace("  syncInterval: 5m", "  syncIntervall: 5m");

        assertThatThrownBy(() -> YamlSpecs.parse("train.yaml", text))
                .hasMessageStartingWith("train.yaml:23: unknown key 'checkpoint.syncIntervall' (did you mean syncInterval?)");
    }

    @Test
    void parse_bucketsRegion_isReadAndAWrongOneIsRefusedAtItsLine() {
        String text = "name: x\nrun: t\nbuckets:\n  checkpoints: s3://ml-team/ckpt\n  region: us-west-2\n";

        assertThat(YamlSpecs.parse("r.yaml", text).buckets().region()).isEqualTo("us-west-2");
        assertThatThrownBy(() -> YamlSpecs.parse("r.yaml", text.replace("us-west-2", "oregon")))
                .hasMessageStartingWith("r.yaml:5: buckets.region must be an AWS region name like us-east-1");
    }

    @Test
    void parse_brokenYaml_namesTheLine() {
        assertThatThrownBy(() -> YamlSpecs.parse("bad.yaml", "name: x\nrun: 'unterminated\nkind: job\n"))
                .hasMessageStartingWith("bad.yaml:").hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> YamlSpecs.parse("indent.yaml", "name: x\nrun: t\n  kind: job\n"))
                .hasMessageStartingWith("indent.yaml:3: not valid YAML");
        assertThatThrownBy(() -> YamlSpecs.parse("dup.yaml", "name: x\nname: y\nrun: t\n"))
                .hasMessageStartingWith("dup.yaml:2: duplicate key 'name' (first at line 1)");
        assertThatThrownBy(() -> YamlSpecs.parse("empty.yaml", ""))
                .hasMessageContaining("empty.yaml:1: the file is empty");
    }

    @Test
    void parse_anUnknownTypeInABlockList_namesTheLineOfTheItem() {
        String text = "name: x\nrun: t\nrequirements:\n  types:\n    - m5.large\n    - m5.huge\n";

        assertThatThrownBy(() -> YamlSpecs.parse("w.yaml", text))
                .hasMessageStartingWith("w.yaml:6: requirements.types has an unknown instance type 'm5.huge'"
                        + " (did you mean m5.large?)");
    }

    @Test
    void parse_impossibleValues_nameTheirLines() {
        assertThatThrownBy(() -> YamlSpecs.parse("w.yaml", "name: x\nrun: t\nrequirements:\n  vcpus: 10000\n"))
                .hasMessageStartingWith("w.yaml:4: requirements.vcpus asks for 10000");
        assertThatThrownBy(() -> YamlSpecs.parse("w.yaml", "name: x\nrun: t\ncheckpoint: {signal: SIGFOO}\n"))
                .hasMessageStartingWith("w.yaml:3: checkpoint.signal 'SIGFOO' is not a signal");
        assertThatThrownBy(() -> YamlSpecs.parse("w.yaml", "name: x\nrun: t\nbuckets:\n  checkpoints: s3://ab/y\n"))
                .hasMessageStartingWith("w.yaml:4: buckets.checkpoints names the bucket 'ab', which is not a valid S3"
                        + " bucket name");
        assertThatThrownBy(() -> YamlSpecs.parse("w.yaml", "name: x\nrun: t\nmaxDuration: 45s\n"))
                .hasMessageStartingWith("w.yaml:3: maxDuration must be at least 1m");
    }

    @Test
    void read_aBinaryFile_isRefusedAsNotAWorkloadFile() throws IOException {
        Path f = dir.resolve("model.yaml");
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        Files.write(f, bytes);

        assertThatThrownBy(() -> YamlSpecs.read(f))
                .isInstanceOfSatisfying(SpotkeeperException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FILE))
                .hasMessageStartingWith(f + ": is a binary file, not a workload file")
                .hasMessageNotContaining("Input length");
    }

    @Test
    void read_aFileThatIsNotUtf8_namesTheLineAndSaysToSaveItAsUtf8() throws IOException {
        Path f = dir.resolve("latin1.yaml");
        Files.write(f, "name: x\nrun: t\n# caf\u00e9 au lait\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> YamlSpecs.read(f))
                .isInstanceOfSatisfying(SpotkeeperException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FILE))
                .hasMessageStartingWith(f + ":3: is not UTF-8 text (byte 0xe9")
                .hasMessageContaining("save the file as UTF-8")
                .hasMessageNotContaining("Input length");
    }

    @Test
    void withCheckpoints_addsTheLocationWhereverTheFileLeftItOut_andKeepsTheRestAsWritten() {
        String url = "s3://spotkeeper-checkpoints";
        java.util.List<String> texts = java.util.List.of(
                "name: x\nrun: t  # the job\n",
                "name: x\nrun: t",
                "name: x\nbuckets:\n  results: s3://ml-team/out\n  region: us-east-1\nrun: t\n",
                "name: x\nbuckets: {results: s3://ml-team/out}\nrun: t\n",
                "name: x\nbuckets: {}\nrun: t\n",
                "name: x\nbuckets:\nrun: t\n",
                "name: x\nbuckets: ~\nrun: t\n",
                "name: x\nbuckets:\n  checkpoints: \"\"\nrun: t\n",
                "{name: x, run: t}\n",
                "---\nname: x\nrun: t\n...\n");
        for (String text : texts) {
            String changed = YamlSpecs.withCheckpoints("w.yaml", text, url);

            WorkloadSpec s = YamlSpecs.parse("w.yaml", changed);
            assertThat(s.buckets().checkpoints()).as(text).isEqualTo(url);
            assertThat(s.job().run()).as(text).isEqualTo("t");
            WorkloadSpec before = YamlSpecs.parse("w.yaml", text);
            assertThat(s.buckets().results()).as(text).isEqualTo(before.buckets().results());
            assertThat(s.buckets().region()).as(text).isEqualTo(before.buckets().region());
        }
        assertThat(YamlSpecs.withCheckpoints("w.yaml", "name: x\nrun: t  # the job\n", url))
                .startsWith("name: x\nrun: t  # the job\n").contains("checkpoints: " + url);
    }
}
