package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.cli.local.Connection;
import dev.spotkeeper.cli.local.LocalHome;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPlaneBackendTest {
    @TempDir
    Path dir;

    @Test
    void connecting_makesNoCall_theQueueAndTableComeFromTheConnectionFile() throws IOException {
        // An endpoint nothing listens on: any create or describe call would fail here.
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Connection c = new Connection("http://127.0.0.1:" + port, "us-east-1", "AKIATEST", "generated-x",
                "http://127.0.0.1:" + port + "/000000000000/spotkeeper-events", "spotkeeper-state", 1,
                Instant.EPOCH, Instant.EPOCH);

        try (LocalPlaneBackend backend = new LocalPlaneBackend(c, new LocalHome(dir))) {
            assertThat(backend.queueUrl).isEqualTo(c.queueUrl());
            assertThat(backend.resident()).isTrue();
        }
    }
}
