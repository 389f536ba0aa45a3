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
                "buckets", d.map("checkpoints", "s3://ml-team/ckpt", "results", "s3://ml-team/results"),
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
        assertThat(s.job().checkpoint()).isEqualTo(new CheckpointSpec("/work/ckpt", "SIGUSR1", "", Duration.ofMinutes(5)));
        assertThat(s.relocation()).isEqualTo(new RelocationSpec(Duration.ofHours(6), 0.15));
        assertThat(s.strategy()).isEqualTo("expected-cost");
        assertThat(s.buckets().region()).isEmpty();
    }

    @Test
    void read_bucketsRegion_isKeptAndAWrongOneSaysWhatIsExpected() {
        Doc d = new Doc();
        WorkloadSpec s = WorkloadSpecReader.read("j.yaml", d.map("name", "x", "run", "t",
                "buckets", d.map("checkpoints", "s3://ml-team/ckpt", "region", "us-west-2")));

        assertThat(s.buckets().region()).isEqualTo("us-west-2");
        assertThat(s.buckets().checkpoints()).isEqualTo("s3://ml-team/ckpt");
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
        assertThat(s.job().checkpoint().syncInterval()).isEqualTo(Duration.ofMinutes(5));
    }

    private static SpecNode.Mapping withRequirements(Doc d, Object... keyValues) {
        return d.map("name", "x", "run", "t", "requirements", d.map(keyValues));
    }

    @Test
    void read_anUnknownInstanceType_isRefusedAtItsItemWithTheNearestKnownOnes() {
        Doc d = new Doc();
        SpecNode.Mapping doc = withRequirements(d, "types", d.list("m5.large", "m5.huge"));

        assertThatThrownBy(() -> WorkloadSpecReader.read("j.yaml", doc))
                .hasMessageContaining(": requirements.types has an unknown instance type 'm5.huge'")
                .hasMessageContaining("did you mean m5.large");
        assertThatThrownBy(() -> WorkloadSpecReader.read("j.yaml", withRequirements(new Doc(), "excludeTypes", "c5.xlarg")))
                .hasMessageContaining("requirements.excludeTypes has an unknown instance type 'c5.xlarg'")
                .hasMessageContaining("c5.xlarge");
    }

    @Test
    void read_anUnknownFamily_isRefusedWithTheNearestFamilies() {
        assertThatThrownBy(() -> WorkloadSpecReader.read("j.yaml", withRequirements(new Doc(), "families", "m55")))
                .hasMessageContaining(": requirements.families has an unknown instance family 'm55'")
                .hasMessageContaining("did you mean m5");
    }

    @Test
    void read_anUnknownRegion_isRefusedWithTheNearest() {
        Doc d = new Doc();
        assertThatThrownBy(() -> WorkloadSpecReader.read("j.yaml", withRequirements(d, "regions",
                d.list("us-east-1", "us-esat-1"))))
                .hasMessageContaining("requirements.regions has an unknown region 'us-esat-1' (did you mean us-east-1");
    }

    @Test
    void read_aSizeNoTypeHas_namesTheLargest() {
        assertThatThrownBy(() -> WorkloadSpecReader.read("j.yaml", withRequirements(new Doc(), "vcpus", "10000")))
                .hasMessageContaining(": requirements.vcpus asks for 10000 but no instance type has more than")
                .hasMessageMatching("(?s).*more than \\d+ vCPUs \\([a-z0-9.-]+.*\\).*");
        assertThatThrownBy(() -> WorkloadSpecReader.read("j.yaml", withRequirements(new Doc(), "memory", "100000")))
                .hasMessageContaining("requirements.memory asks for 100000 but no instance type has more than")
                .hasMessageContaining("GiB of memory");
        assertThatThrownBy(() -> WorkloadSpecReader.read("j.yaml", withRequirements(new Doc(), "gpus", "64")))
                .hasMessageContaining("requirements.gpus asks for 64 but no instance type has more than 16 GPUs");
    }

    @Test
    void read_aCombinationThatLeavesNoType_namesTheRequirementThatRemovedTheMost() {
        Doc d = new Doc();
        SpecNode.Mapping doc = withRequirements(d, "gpus", "1", "arch", "arm64", "families", d.list("p3"));

        assertThatThrownBy(() -> WorkloadSpecReader.read("j.yaml", doc))
                .hasMessageContaining(": requirements.gpus leaves no instance type")
                .hasMessageContaining("requirements.gpus removed the most (")
                .hasMessageContaining("relax it first");
    }

    @Test
    void read_aPossibleCombination_isAccepted() {
        Doc d = new Doc();
        WorkloadSpec s = WorkloadSpecReader.read("j.yaml", withRequirements(d, "gpus", "1", "arch", "arm64"));

        assertThat(s.requirements().minGpus()).isEqualTo(1);
    }

    @Test
    void read_anUnknownSignal_namesTheSignalsThatExist() {
        Doc d = new Doc();
        assertThatThrownBy(() -> WorkloadSpecReader.read("j.yaml", d.map("name", "x", "run", "t",
                "checkpoint", d.map("signal", "SIGFOO"))))
                .hasMessageContaining(": checkpoint.signal 'SIGFOO' is not a signal")
                .hasMessageContaining("SIGUSR1").hasMessageContaining("SIGTERM").hasMessageContaining("SIGHUP");
        assertThatThrownBy(() -> WorkloadSpecReader.read("j.yaml", d.map("name", "x", "run", "t",
                "checkpoint", d.map("signal", "SIGKILL"))))
                .hasMessageContaining("SIGKILL cannot be caught");
        assertThat(WorkloadSpecReader.read("j.yaml", d.map("name", "x", "run", "t",
                "checkpoint", d.map("signal", "usr2"))).job().checkpoint().signal()).isEqualTo("usr2");
        assertThat(WorkloadSpecReader.read("j.yaml", d.map("name", "x", "run", "t",
                "checkpoint", d.map("signal", "TERM"))).job().checkpoint().signal()).isEqualTo("TERM");
    }

    @Test
    void read_badBucketNames_areRefusedWithTheRuleTheyBreak() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("s3://ab/y", "must be 3 to 63 characters long");
        cases.put("s3://" + "a".repeat(64) + "/y", "must be 3 to 63 characters long");
        cases.put("s3://My-Bucket/y", "(no capitals)");
        cases.put("s3://my_bucket/y", "(no '_': write '-')");
        cases.put("s3://192.168.5.4/y", "must not be formatted as an IP address");
        cases.put("s3://-bucket/y", "must begin and end with a letter or a digit");
        cases.put("s3://my..bucket", "must not hold two '.' in a row");
        cases.put("s3://xn--bucket/y", "must not start with 'xn--'");
        cases.put("s3://bucket-s3alias/y", "must not end with '-s3alias'");
        cases.forEach((url, rule) -> {
            Doc d = new Doc();
            assertThatThrownBy(() -> WorkloadSpecReader.read("j.yaml", d.map("name", "x", "run", "t",
                    "buckets", d.map("checkpoints", url))))
                    .as(url)
                    .hasMessageContaining(": buckets.checkpoints names the bucket")
                    .hasMessageContaining("is not a valid S3 bucket name").hasMessageContaining(rule);
        });
        Doc d = new Doc();
        assertThat(WorkloadSpecReader.read("j.yaml", d.map("name", "x", "run", "t", "buckets",
                d.map("checkpoints", "s3://my.team-2/ckpt", "results", "s3://abc"))).buckets().results())
                .isEqualTo("s3://abc");
    }

    @Test
    void read_aMaxDurationUnderOneMinute_isRefusedWithTheCheckpointMargin() {
        Doc d = new Doc();
        assertThatThrownBy(() -> WorkloadSpecReader.read("j.yaml", d.map("name", "x", "run", "t", "maxDuration", "30s")))
                .hasMessageContaining(": maxDuration must be at least 1m")
                .hasMessageContaining("up to 30 s before the limit").hasMessageContaining("was 30s");
        assertThat(WorkloadSpecReader.read("j.yaml", d.map("name", "x", "run", "t", "maxDuration", "1m")).maxDuration())
                .contains(Duration.ofMinutes(1));
    }

    @Test
    void readAccepted_aSpecReadAgainAfterSubmit_skipsOnlyTheCatalogChecks() {
        Doc d = new Doc();
        SpecNode.Mapping unknownType = withRequirements(d, "types", d.list("m5.huge"));

        assertThat(WorkloadSpecReader.readAccepted("stored", unknownType).requirements().types()).containsExactly("m5.huge");
        Doc e = new Doc();
        assertThatThrownBy(() -> WorkloadSpecReader.readAccepted("stored", e.map("name", "x", "run", "t",
                "buckets", e.map("checkpoints", "s3://ab/y"))))
                .hasMessageContaining("is not a valid S3 bucket name");
    }
}
