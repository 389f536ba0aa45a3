package dev.spotkeeper.testkit.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.cloud.ObjectStorePort;
import dev.spotkeeper.core.cloud.ObjectStorePort.ObjectInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules every {@link ObjectStorePort} keeps; each test gets an empty store (a fresh bucket or prefix). */
public abstract class ObjectStorePortContract {
    private ObjectStorePort store;

    @TempDir
    Path dir;

    /** An empty store. */
    protected abstract ObjectStorePort newStore();

    @BeforeEach
    void freshStore() {
        store = newStore();
    }

    @Test
    void putBytes_thenGetBytes_returnsTheContent_andMissingKeysAreEmpty() {
        byte[] content = "{\"workload\":\"train\"}".getBytes(StandardCharsets.UTF_8);
        store.putBytes("train/ckpt-0000000001-i-1/manifest.json", content);

        assertThat(store.getBytes("train/ckpt-0000000001-i-1/manifest.json")).hasValue(content);
        assertThat(store.getBytes("train/ckpt-0000000002-i-1/manifest.json")).isEmpty();
    }

    @Test
    void putFile_thenGetFile_copiesTheFile_replacingWhatWasThere() throws IOException {
        Path source = dir.resolve("weights.bin");
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Files.write(source, content);
        Path target = dir.resolve("restore/sub/weights.bin");
        Files.createDirectories(target.getParent());
        Files.writeString(target, "stale");

        store.put("train/ckpt/weights.bin", source);
        store.get("train/ckpt/weights.bin", target);

        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        try (var files = Files.list(target.getParent())) {
            assertThat(files).as("no partial download left behind").containsExactly(target);
        }
    }

    @Test
    void list_returnsKeysAndSizesUnderThePrefixOnly() {
        store.putBytes("train/a/manifest.json", new byte[3]);
        store.putBytes("train/a/data.bin", new byte[10]);
        store.putBytes("train/b/manifest.json", new byte[5]);
        store.putBytes("other/x", new byte[1]);

        assertThat(store.list("train/a/")).containsExactlyInAnyOrder(
                new ObjectInfo("train/a/manifest.json", 3), new ObjectInfo("train/a/data.bin", 10));
        assertThat(store.list("train/")).hasSize(3);
        assertThat(store.list("nothing/")).isEmpty();
    }

    @Test
    void delete_removesTheObject_andDeletingAMissingKeyIsNoError() {
        store.putBytes("train/gone", new byte[] {1});

        store.delete("train/gone");
        store.delete("train/never-there");

        assertThat(store.getBytes("train/gone")).isEmpty();
        assertThat(store.list("train/")).isEmpty();
    }
}
