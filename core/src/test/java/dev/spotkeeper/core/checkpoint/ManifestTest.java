package dev.spotkeeper.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.SpotkeeperException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {
    private static final String HEADER = "\"workload\":\"train\",\"id\":\"ckpt-0000000001-i-0abc\",\"sequence\":1,"
            + "\"createdAt\":\"2026-03-01T10:00:00Z\",\"instanceId\":\"i-0abc\",";

    @Test
    void json_roundTrips_withPackedChunkedAndEmptyFiles() {
        Manifest m = new Manifest("train", Manifest.checkpointId(42, "i-0abc"), 42, Instant.parse("2026-03-01T10:00:00Z"), "i-0abc",
                List.of(ManifestFile.single("a/b.txt", 3, "ab".repeat(32), "ckpt/packs/pack-00000", 17),
                        ManifestFile.single("empty", 0, "e3".repeat(32), "unused", 0),
                        new ManifestFile("model.bin", 25, "cd".repeat(32) + "-3", List.of(
                                new ManifestFile.Extent("ckpt/chunks/model.bin/000000", 0, 10, "01".repeat(32)),
                                new ManifestFile.Extent("older/chunks/model.bin/000001", 0, 10, "02".repeat(32)),
                                new ManifestFile.Extent("ckpt/chunks/model.bin/000002", 0, 5, "03".repeat(32))))));

        String json = m.toJson();
        Manifest back = Manifest.parse("manifest.json", json);

        assertThat(json).contains("\"version\":2");
        assertThat(back).isEqualTo(m);
        assertThat(back.file("empty").orElseThrow().extents()).isEmpty();
        assertThat(back.file("a/b.txt").orElseThrow().extents()).singleElement()
                .satisfies(e -> assertThat(e.offset()).isEqualTo(17));
        assertThat(back.id()).isEqualTo("ckpt-0000000042-i-0abc");
        assertThat(Manifest.sequenceOf(back.id())).contains(42L);
        assertThat(Manifest.sequenceOf("not-a-checkpoint")).isEmpty();
        assertThat(back.totalBytes()).isEqualTo(28);
    }

    @Test
    void version1Manifest_isReadAsExtentsOfItsObjects() {
        String v1 = "{" + HEADER + "\"files\":["
                + "{\"path\":\"small\",\"size\":3,\"sha256\":\"" + "ab".repeat(32) + "\",\"key\":\"c/files/small\"},"
                + "{\"path\":\"model.bin\",\"size\":25,\"sha256\":\"cd\",\"key\":\"c/files/model.bin\",\"partSize\":10,"
                + "\"parts\":[\"01\",\"02\",\"03\"]}]}";

        Manifest m = Manifest.parse("manifest.json", v1);

        assertThat(m.file("small").orElseThrow().extents())
                .containsExactly(new ManifestFile.Extent("c/files/small", 0, 3, "ab".repeat(32)));
        assertThat(m.file("model.bin").orElseThrow().extents()).containsExactly(
                new ManifestFile.Extent("c/files/model.bin", 0, 10, "01"),
                new ManifestFile.Extent("c/files/model.bin", 10, 10, "02"),
                new ManifestFile.Extent("c/files/model.bin", 20, 5, "03"));
    }

    @Test
    void damagedManifest_isAMalformedFileErrorNamingTheProblem() {
        assertThatThrownBy(() -> Manifest.parse("m.json", "{\"workload\": \"train\""))
                .isInstanceOf(SpotkeeperException.class).hasMessageStartingWith("m.json");
        assertThatThrownBy(() -> Manifest.parse("m.json", "{" + HEADER + "\"files\":[{\"path\":\"../etc/passwd\","
                + "\"size\":1,\"sha256\":\"00\",\"key\":\"k\"}]}"))
                .isInstanceOf(SpotkeeperException.class).hasMessageContaining("without '..'");
        assertThatThrownBy(() -> Manifest.parse("m.json", "{\"files\": 3}"))
                .isInstanceOf(SpotkeeperException.class).hasMessageContaining("\"files\" must be an array");
        assertThatThrownBy(() -> Manifest.parse("m.json", "{\"version\":2," + HEADER + "\"files\":[{\"path\":\"f\","
                + "\"size\":1,\"sha256\":\"00\"}]}"))
                .isInstanceOf(SpotkeeperException.class).hasMessageContaining("\"extents\" must be an array");
        assertThatThrownBy(() -> Manifest.parse("m.json", "{\"version\":3," + HEADER + "\"files\":[]}"))
                .isInstanceOf(SpotkeeperException.class).hasMessageContaining("manifest version 3 is not supported");
    }

    @Test
    void extents_mustCoverTheFile() {
        assertThatThrownBy(() -> new ManifestFile("f", 25, "x", List.of(new ManifestFile.Extent("k", 0, 10, "a"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("its extents hold 10 bytes, its size is 25");
        assertThatThrownBy(() -> Manifest.parse("m.json", "{" + HEADER + "\"files\":[{\"path\":\"f\",\"size\":25,"
                + "\"sha256\":\"x\",\"key\":\"k\",\"partSize\":10,\"parts\":[\"a\",\"b\"]}]}"))
                .isInstanceOf(SpotkeeperException.class).hasMessageContaining("2 part digests for 25 bytes");
    }
}
