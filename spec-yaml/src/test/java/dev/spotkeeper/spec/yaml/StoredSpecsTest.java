package dev.spotkeeper.spec.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.core.workload.WorkloadSpecJson;
import dev.spotkeeper.testkit.store.InMemoryStateStore;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StoredSpecsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final String YAML = "name: train\nrun: python train.py\nbuckets: {checkpoints: s3://ckpt/p}\n";

    @Test
    void migrate_aSpecStoredAsYaml_becomesItsCanonicalJson_andTheRestOfTheRecordStays() {
        InMemoryStateStore store = new InMemoryStateStore();
        store.createWorkload(new WorkloadRecord("train", YAML, WorkloadStatus.RUNNING, 0.4, "ckpt-7", T0, T0, 0));
        String json = WorkloadSpecJson.write(YamlSpecs.parse("other.yaml", YAML.replace("train", "eval")));
        store.createWorkload(new WorkloadRecord("eval", json, WorkloadStatus.RUNNING, 0, "", T0, T0, 0));

        assertThat(StoredSpecs.migrate(store)).isEqualTo(1);

        WorkloadRecord train = store.workload("train").orElseThrow();
        assertThat(WorkloadSpecJson.read("stored", train.specText())).isEqualTo(YamlSpecs.parse("train.yaml", YAML));
        assertThat(train.progress()).isEqualTo(0.4);
        assertThat(train.lastCheckpoint()).isEqualTo("ckpt-7");
        assertThat(store.workload("eval").orElseThrow().specText()).isEqualTo(json);
        assertThat(StoredSpecs.migrate(store)).as("nothing left to convert").isZero();
    }

    @Test
    void migrate_aStoredTextThatIsNoWorkloadFile_isLeftForTheControllerToRefuse() {
        InMemoryStateStore store = new InMemoryStateStore();
        store.createWorkload(new WorkloadRecord("bad", "name: [", WorkloadStatus.RUNNING, 0, "", T0, T0, 0));

        assertThat(StoredSpecs.migrate(store)).isZero();
        assertThat(store.workload("bad").orElseThrow().specText()).isEqualTo("name: [");
    }
}
