package dev.spotkeeper.emulator.elb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HAProxy never outlives the emulator: it ends when the pipe from the JVM closes, as it does when the JVM dies. */
class HaproxyLifetimeTest {
    @TempDir
    Path dir;

    private Haproxy start() throws Exception {
        assumeTrue(Haproxy.installed(), "HAProxy (Debian package haproxy) is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "setsid is needed for the watchdog");
        Path socket = dir.resolve("admin.sock");
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, "global\n    stats socket " + socket + " mode 600 level admin\n"
                + "defaults\n    timeout connect 1s\n    timeout client 5s\n    timeout server 5s\n"
                + "frontend f\n    mode http\n    bind 127.0.0.1:" + freePort() + "\n");
        return Haproxy.start(config, socket, dir.resolve("haproxy.log"));
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void brokenConfiguration_failsTheStartAtOnce_withHaproxysMessage() throws Exception {
        assumeTrue(Haproxy.installed(), "HAProxy (Debian package haproxy) is not installed");
        Path config = dir.resolve("broken.cfg");
        Files.writeString(config, "frontend f\n    bind 127.0.0.1:0\n");
        long begun = System.nanoTime();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Haproxy.start(config, dir.resolve("b.sock"),
                dir.resolve("broken.log"))).isInstanceOf(java.io.IOException.class).hasMessageContaining("invalid port");
        assertThat(Duration.ofNanos(System.nanoTime() - begun)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void closedPipe_endsHaproxy_withoutBeingKilledFromHere() throws Exception {
        Haproxy haproxy = start();
        try {
            ProcessHandle process = haproxy.haproxyProcess().orElseThrow();
            assertThat(process.isAlive()).isTrue();
            assertThat(haproxy.command("show info")).contains("Name: HAProxy");

            haproxy.closePipe();

            await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
        } finally {
            haproxy.close();
        }
    }

    @Test
    void close_endsHaproxy() throws Exception {
        Haproxy haproxy = start();
        ProcessHandle process = haproxy.haproxyProcess().orElseThrow();
        haproxy.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
        assertThat(haproxy.alive()).isFalse();
    }
}
