package dev.spotkeeper.core.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.market.Architecture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadSpecReaderTest {
    /** Builds a tree the way a YAML parser would, one key per line from line 1. */
    private static final class Doc {
        private int line = 1;

        SpecNode.Mapping map(Object... keyValues) {
            Map<String, SpecNode> entries = new LinkedHashMap<>();
            Map<String, Integer> lines = new LinkedHashMap<>();
            int start = line;
            for (int i = 0; i < keyValues.length; i += 2) {
                String key = (String) keyValues[i];
                lines.put(key, line);
                Object v = keyValues[i + 1];
                entries.put(key, v instanceof SpecNode n ? n : new SpecNode.Scalar(String.valueOf(v), line));
                line++;
            }
            return new SpecNode.Mapping(entries, lines, start);
        }

        SpecNode.Sequence list(String... items) {
            List<SpecNode> nodes = new ArrayList<>();
            for (String i : items) {
                nodes.add(new SpecNode.Scalar(i, line));
            }
            return new SpecNode.Sequence(nodes, line);
        }
    }

    private static SpecNode.Mapping training(Doc d, Object... extra) {
        List<Object> kv = new ArrayList<>(List.of(
                "name", "resnet",
                "kind", "job",
                "requirements", d.map("vcpus", "8", "memory", "32", "gpus", "1", "arch", "x86_64", "regions", d.list("us-east-1", "us-west-2")),
                "maxPrice", "1.20",
                "maxDuration", "48h",
                "budget", "$150",
                "deadline", "1d12h",
                "buckets", d.map("checkpoints", "s3://ml/ckpt", "results", "s3://ml/results"),
                "run", "python train.py",
                "checkpoint", d.map("dir", "/work/ckpt", "signal", "SIGUSR1", "syncInterval", "5m"),
                "relocation", d.map("every", "6h", "minGain", "0.15")));
        kv.addAll(List.of(extra));
        return d.map(kv.toArray());
    }

    @Test
    void read_aFullTrainingSpec() {
        WorkloadSpec s = WorkloadSpecReader.read("job.yaml", training(new Doc()));

        assertThat(s.name()).isEqualTo("resnet");
        assertThat(s.kind()).isEqualTo(WorkloadKind.JOB);
        assertThat(s.requirements().minGpus()).isEqualTo(1);
        assertThat(s.requirements().architecture()).contains(Architecture.X86_64);
        assertThat(s.requirements().regions()).containsExactlyInAnyOrder("us-east-1", "us-west-2");
        assertThat(s.maxPrice()).contains(1.20);
        assertThat(s.budget()).contains(150.0);
        assertThat(s.maxDuration()).contains(Duration.ofHours(48));
        assertThat(s.deadline()).contains(Duration.ofHours(36));
        assertThat(s.checkpoint()).isEqualTo(new CheckpointSpec("/work/ckpt", "SIGUSR1", "", Duration.ofMinutes(5)));
        assertThat(s.relocation()).isEqualTo(new RelocationSpec(Duration.ofHours(6), 0.15));
        assertThat(s.strategy()).isEqualTo("expected-cost");
        assertThat(s.buckets().region()).isEmpty();
    }

    @Test
    void read_bucketsRegion_isKeptAndAWrongOneSaysWhatIsExpected() {
        Doc d = new Doc();
        WorkloadSpec s = WorkloadSpecReader.read("j.yaml", d.map("name", "x", "run", "t",
                "buckets", d.map("checkpoints", "s3://ml/ckpt", "region", "us-west-2")));

        assertThat(s.buckets().region()).isEqualTo("us-west-2");
        assertThat(s.buckets().checkpoints()).isEqualTo("s3://ml/ckpt");
        assertThatThrownBy(() -> WorkloadSpecReader.read("j.yaml", d.map("name", "x", "run", "t",
                "buckets", d.map("region", "Oregon"))))
                .hasMessageContaining("buckets.region must be an AWS region name like us-east-1")
                .hasMessageContaining("'Oregon'");
    }

    @Test
    void read_aMisspeltKey_isRefusedAtItsLineWithTheNearestKey() {
        Doc d = new Doc();
        SpecNode.Mapping doc = training(d, "maxPrise", "2");

        int line = doc.keyLines().get("maxPrise");

        assertThat(line).isGreaterThan(1);
        assertThatThrownBy(() -> WorkloadSpecReader.read("job.yaml", doc))
                .hasMessageStartingWith("job.yaml:" + line + ": unknown key 'maxPrise' (did you mean maxPrice");
    }

    @Test
    void read_aMisspeltNestedKey_namesThePath() {
        Doc d = new Doc();
        SpecNode.Mapping doc = d.map("name", "x", "run", "true", "requirements", d.map("vcpu", "4"));

        assertThatThrownBy(() -> WorkloadSpecReader.read("job.yaml", doc))
                .hasMessageContaining("unknown key 'requirements.vcpu' (did you mean vcpus");
    }

    @Test
    void read_wrongValues_sayWhatIsExpected() {
        Doc d = new Doc();
        assertThatThrownBy(() -> WorkloadSpecReader.read("j.yaml", d.map("name", "x", "run", "t", "maxDuration", "two hours")))
                .hasMessageContaining("maxDuration must be a duration like 90s, 30m, 2h, 1d or 1h30m; was 'two hours'");
        assertThatThrownBy(() -> WorkloadSpecReader.read("j.yaml", d.map("name", "x", "run", "t", "kind", "batch")))
                .hasMessageContaining("kind must be one of job, service, fleet; was 'batch'");
        assertThatThrownBy(() -> WorkloadSpecReader.read("j.yaml", d.map("name", "x", "run", "t", "buckets", d.map("results", "my-bucket"))))
                .hasMessageContaining("buckets.results must be an S3 URL");
        assertThatThrownBy(() -> WorkloadSpecReader.read("j.yaml", d.map("name", "x", "run", "t", "placement", d.map("strategy", "cheapest"))))
                .hasMessageContaining("placement.strategy is an unknown strategy 'cheapest'");
        assertThatThrownBy(() -> WorkloadSpecReader.read("j.yaml", d.map("name", "Bad Name", "run", "t")))
                .hasMessageContaining("name must be 1-63 lowercase");
        assertThatThrownBy(() -> WorkloadSpecReader.read("j.yaml", d.map("name", "x")))
                .hasMessageContaining("run is required");
    }

    @Test
    void read_defaults() {
        Doc d = new Doc();
        WorkloadSpec s = WorkloadSpecReader.read("j.yaml", d.map("name", "x", "run", "./train.sh", "maxDuration", "none"));

        assertThat(s.maxDuration()).isEmpty();
        assertThat(s.budget()).isEmpty();
        assertThat(s.maxPrice()).isEmpty();
        assertThat(s.relocation().every()).isZero();
        assertThat(s.checkpoint().syncInterval()).isEqualTo(Duration.ofMinutes(5));
    }
}
