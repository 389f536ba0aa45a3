package dev.spotkeeper.cli.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.workload.WorkloadSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class YamlSpecsTest {
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
        assertThat(s.run()).contains("$SPOTKEEPER_CHECKPOINT_DIR");
    }

    @Test
    void parse_aTypoInANestedKey_namesItsLine() {
        String text = TRAINING.replace("  syncInterval: 5m", "  syncIntervall: 5m");

        assertThatThrownBy(() -> YamlSpecs.parse("train.yaml", text))
                .hasMessageStartingWith("train.yaml:23: unknown key 'checkpoint.syncIntervall' (did you mean syncInterval?)");
    }

    @Test
    void parse_bucketsRegion_isReadAndAWrongOneIsRefusedAtItsLine() {
        String text = "name: x\nrun: t\nbuckets:\n  checkpoints: s3://b/ckpt\n  region: us-west-2\n";

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
}
