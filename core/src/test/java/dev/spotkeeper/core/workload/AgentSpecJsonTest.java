package dev.spotkeeper.core.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentSpecJsonTest {
    @Test
    void write_thenRead_givesBackEveryField() {
        AgentSpec spec = AgentSpec.of(WorkloadSpecJsonTest.everyField(), 7);

        AgentSpec back = AgentSpecJson.read("s3://ckpt/x", AgentSpecJson.write(spec));

        assertThat(back).isEqualTo(spec);
        assertThat(back.work()).isEqualTo(WorkloadSpecJsonTest.everyField().job());
        assertThat(back.buckets().source()).isEqualTo("s3://src/code");
    }

    @Test
    void read_aNewerSchemaVersion_isRefusedSayingToUpgrade() {
        String newer = AgentSpecJson.write(AgentSpec.of(WorkloadSpecJsonTest.everyField(), 1))
                .replace("\"schemaVersion\":" + AgentSpecJson.SCHEMA_VERSION, "\"schemaVersion\":9");

        assertThatThrownBy(() -> AgentSpecJson.read("s3://ckpt/prefix/resnet/agent-spec/1.json", newer))
                .hasMessageContaining("s3://ckpt/prefix/resnet/agent-spec/1.json")
                .hasMessageContaining("agent spec of schemaVersion 9, newer than this spotkeeper reads ("
                        + AgentSpecJson.SCHEMA_VERSION + ")");
    }

    @Test
    void location_isBelowTheWorkloadsCheckpointPrefix_inAFolderOfItsOwn() {
        assertThat(AgentSpec.location("s3://ckpt/prefix", "train", 3).url())
                .isEqualTo("s3://ckpt/prefix/train/agent-spec/3.json");
        assertThat(AgentSpec.location("s3://ckpt/prefix/", "train", 3).url())
                .isEqualTo("s3://ckpt/prefix/train/agent-spec/3.json");
        assertThat(AgentSpec.location("s3://ckpt", "train", 1))
                .isEqualTo(new AgentSpec.Location("ckpt", "train/agent-spec/1.json"));
        assertThat(AgentSpec.Location.parse("s3://ckpt/train/agent-spec/1.json"))
                .isEqualTo(new AgentSpec.Location("ckpt", "train/agent-spec/1.json"));
        assertThatThrownBy(() -> AgentSpec.location("", "train", 1)).hasMessageContaining("no checkpoint location");
        assertThatThrownBy(() -> AgentSpec.Location.parse("/tmp/spec.json")).hasMessageContaining("S3 URL");
    }
}
