package dev.spotkeeper.testkit.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.checkpoint.ObjectStore;
import dev.spotkeeper.core.checkpoint.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules every {@link ObjectStore} keeps; each test gets an empty store (a fresh bucket or prefix). */
public abstract class ObjectStoreContract {
    private ObjectStore store;

    @TempDir
    Path dir;

    /** An empty store. */
    protected abstract ObjectStore newStore();

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
    void putFile_thenReadBack_returnsTheFile_andAPutReplacesWhatWasThere() throws IOException {
        Path source = dir.resolve("weights.bin");
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Files.write(source, content);
        store.putBytes("train/ckpt/weights.bin", "stale".getBytes(StandardCharsets.UTF_8));

        store.putFile("train/ckpt/weights.bin", source);

        assertThat(store.getBytes("train/ckpt/weights.bin")).hasValue(content);
        assertThat(store.size("train/ckpt/weights.bin")).hasValue((long) content.length);
    }

    @Test
    void openRange_returnsExactlyTheBytesAsked_andIsEmptyForAMissingKey() throws IOException {
        byte[] content = new byte[10_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 7 + 3);
        }
        store.putBytes("train/pack-1", content);

        try (InputStream in = store.openRange("train/pack-1", 1234, 4000).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(content, 1234, 5234));
        }
        try (InputStream in = store.openRange("train/pack-1", 0, 0).orElseThrow()) {
            assertThat(in.readAllBytes()).isEmpty();
        }
        assertThat(store.openRange("train/pack-2", 0, 10)).isEmpty();
        assertThat(store.openRange("train/pack-2", 0, 0)).isEmpty();
    }

    @Test
    void size_isTheObjectsLength_andEmptyForAMissingKey() {
        store.putBytes("train/a", new byte[42]);
        store.putBytes("train/empty", new byte[0]);

        assertThat(store.size("train/a")).hasValue(42L);
        assertThat(store.size("train/empty")).hasValue(0L);
        assertThat(store.size("train/missing")).isEmpty();
    }

    @Test
    void list_returnsKeysAndSizesUnderThePrefixOnly() {
        store.putBytes("train/a/manifest.json", new byte[3]);
        store.putBytes("train/a/data.bin", new byte[10]);
        store.putBytes("train/b/manifest.json", new byte[5]);
        store.putBytes("other/x", new byte[1]);

        assertThat(store.list("train/a/")).containsExactlyInAnyOrder(
                new StoredObject("train/a/manifest.json", 3), new StoredObject("train/a/data.bin", 10));
        assertThat(store.list("train/")).hasSize(3);
        assertThat(store.list("nothing/")).isEmpty();
    }

    @Test
    void listChildren_namesTheFoldersDirectlyBelowThePrefix() {
        store.putBytes("train/ckpt-1/manifest.json", new byte[1]);
        store.putBytes("train/ckpt-1/data/chunk", new byte[1]);
        store.putBytes("train/ckpt-2/manifest.json", new byte[1]);
        store.putBytes("train/loose-file", new byte[1]);
        store.putBytes("other/ckpt-3/manifest.json", new byte[1]);

        assertThat(store.listChildren("train/")).containsExactlyInAnyOrder("ckpt-1", "ckpt-2");
        assertThat(store.listChildren("nothing/")).isEmpty();
    }

    @Test
    void delete_removesTheObject_andDeletingAMissingKeyIsNoError() {
        store.putBytes("train/gone", new byte[] {1});
        store.putBytes("train/kept", new byte[] {2});

        store.delete("train/gone");
        store.delete("train/never-there");

        assertThat(store.getBytes("train/gone")).isEmpty();
        assertThat(store.size("train/gone")).isEmpty();
        assertThat(store.list("train/")).containsExactly(new StoredObject("train/kept", 1));
    }
}
