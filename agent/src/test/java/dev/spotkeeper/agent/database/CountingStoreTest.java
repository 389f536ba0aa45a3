package dev.spotkeeper.agent.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.testkit.cloud.InMemoryObjectStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CountingStoreTest {
    @TempDir
    Path dir;

    @Test
    void countsTheBytesUploadedAndDownloaded_notListingsNorSizes() throws Exception {
        CountingStore store = new CountingStore(new InMemoryObjectStore());
        Path file = Files.write(dir.resolve("base.xbstream"), new byte[5000]);

        store.putFile("base/1.xbstream", file);
        store.putBytes("catalog.json", new byte[120]);
        store.putBytes("catalog.json", new byte[130]);
        store.list("");
        store.size("base/1.xbstream");
        store.getBytes("catalog.json");
        store.getBytes("missing");
        try (InputStream in = store.openRange("base/1.xbstream", 1000, 3000).orElseThrow()) {
            assertThat(in.read()).isZero();
            assertThat(in.readAllBytes()).hasSize(2999);
        }

        assertThat(store.uploaded()).isEqualTo(5000 + 120 + 130);
        assertThat(store.downloaded()).isEqualTo(130 + 3000);
    }
}
