package dev.spotkeeper.emulator.ec2.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceProcessTest {
    @TempDir
    Path dir;

    private static long pid(Path file) {
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file) && !Files.readString(file).isBlank());
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void pipeFromTheEmulatorClosed_endsTheWholeGroup_asWhenTheEmulatorIsKilled() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "no setsid here");
        // A timer that outlives the script, as user data's fail-safe does, and a job that ignores SIGTERM.
        InstanceProcess p = InstanceProcess.start(dir, "( sleep 300 ) &\necho $! > timer.pid\n"
                + "sh -c 'trap \"\" TERM; echo $$ > stubborn.pid; while :; do sleep 1; done' &\nexit 0\n", Map.of());
        ProcessHandle timer = ProcessHandle.of(pid(dir.resolve("timer.pid"))).orElseThrow();
        ProcessHandle stubborn = ProcessHandle.of(pid(dir.resolve("stubborn.pid"))).orElseThrow();
        assertThat(timer.isAlive()).isTrue();

        p.closePipe();

        await().atMost(Duration.ofSeconds(15)).until(() -> !timer.isAlive() && !stubborn.isAlive());
        await().atMost(Duration.ofSeconds(10)).until(() -> p.tree().isEmpty());
    }

    @Test
    void userData_findsTheInstancesOwnPowerCommandsFirstOnItsPath() throws Exception {
        InstanceProcess p = InstanceProcess.start(dir, "for c in shutdown poweroff halt reboot; do command -v $c;"
                + " done > which.txt\n", Map.of());
        try {
            Path which = dir.resolve("which.txt");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(which)
                    && Files.readAllLines(which).size() == 4);
            assertThat(Files.readAllLines(which)).allSatisfy(line ->
                    assertThat(line).startsWith(dir.resolve(".emulator/bin").toString()));
        } finally {
            p.destroyTree();
        }
    }
}
