package dev.spotkeeper.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.SpotkeeperException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {
    @Test
    void json_roundTrips_withSingleAndMultipartFiles() {
        Manifest m = new Manifest("train", Manifest.checkpointId(42, "i-0abc"), 42, Instant.parse("2026-03-01T10:00:00Z"), "i-0abc",
                List.of(ManifestFile.single("a/b.txt", 3, "ab".repeat(32), "ckpt/a/b.txt"),
                        new ManifestFile("model.bin", 25, "cd".repeat(32) + "-3", "ckpt/model.bin", 10,
                                List.of("01".repeat(32), "02".repeat(32), "03".repeat(32)))));

        Manifest back = Manifest.parse("manifest.json", m.toJson());

        assertThat(back).isEqualTo(m);
        assertThat(back.id()).isEqualTo("ckpt-0000000042-i-0abc");
        assertThat(Manifest.sequenceOf(back.id())).contains(42L);
        assertThat(Manifest.sequenceOf("not-a-checkpoint")).isEmpty();
        assertThat(back.totalBytes()).isEqualTo(28);
    }

    @Test
    void damagedManifest_isAMalformedFileErrorNamingTheProblem() {
        assertThatThrownBy(() -> Manifest.parse("m.json", "{\"workload\": \"train\""))
                .isInstanceOf(SpotkeeperException.class).hasMessageStartingWith("m.json");
        assertThatThrownBy(() -> Manifest.parse("m.json", "{\"workload\":\"t\",\"id\":\"x\",\"sequence\":1,"
                + "\"createdAt\":\"2026-03-01T10:00:00Z\",\"instanceId\":\"i\",\"files\":[{\"path\":\"../etc/passwd\","
                + "\"size\":1,\"sha256\":\"00\",\"key\":\"k\"}]}"))
                .isInstanceOf(SpotkeeperException.class).hasMessageContaining("without '..'");
        assertThatThrownBy(() -> Manifest.parse("m.json", "{\"files\": 3}"))
                .isInstanceOf(SpotkeeperException.class).hasMessageContaining("\"files\" must be an array");
    }

    @Test
    void partDigests_mustCoverTheFile() {
        assertThatThrownBy(() -> new ManifestFile("f", 25, "x", "k", 10, List.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 part hashes for 25 bytes");
    }
}
