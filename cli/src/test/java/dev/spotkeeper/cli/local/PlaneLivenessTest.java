package dev.spotkeeper.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What makes the connection file name a live plane: its process lives and holds the home's lock. Not the start time
 * the plane wrote: the process that reads it may compute another one for the same process (the boot time both derive
 * it from moves when the clock is stepped, as on a machine that just booted), and a live plane's file was then
 * removed as stale, so the next command started a second plane that refused to run.
 */
class PlaneLivenessTest {
    @TempDir
    Path dir;

    private static Connection naming(long pid, Instant processStart) {
        return new Connection("http://127.0.0.1:9", "us-east-1", "AKIATEST", "generated-" + System.nanoTime(), "q", "t",
                pid, processStart, Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void aPlaneHoldingTheLock_runs_evenWhenTheStartTimeItWroteDiffersFromWhatThisProcessComputes() {
        LocalHome home = new LocalHome(dir.resolve("home"));
        ProcessHandle self = ProcessHandle.current();
        Instant computedHere = self.info().startInstant().orElseThrow();
        try (PlaneLock lock = PlaneLock.tryTake(home).orElseThrow()) {
            Connection c = naming(self.pid(), computedHere.minus(Duration.ofMinutes(7)));
            c.write(home.connectionFile());

            assertThat(LocalPlane.running(home)).contains(c);
            assertThat(home.connectionFile()).exists();
        }
    }

    @Test
    void aLiveProcessThatHoldsNoLock_isNoPlane_andItsFileIsRemoved() {
        LocalHome home = new LocalHome(dir.resolve("home"));
        home.ensure();
        ProcessHandle self = ProcessHandle.current();
        Connection c = naming(self.pid(), self.info().startInstant().orElseThrow());
        c.write(home.connectionFile());

        assertThat(LocalPlane.removeStale(home)).contains(c);
        assertThat(home.connectionFile()).doesNotExist();
    }

    @Test
    void theLockOfAnotherProcess_namesItAlive_untilItIsKilled() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no python3 here");
        LocalHome home = new LocalHome(dir.resolve("home"));
        home.ensure();
        // Another process takes the same kind of lock a plane takes (a POSIX record lock on the whole file).
        Process holder = new ProcessBuilder(python.toString(), "-c", "import fcntl, sys, time\n"
                + "f = open(sys.argv[1], 'a+')\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\n"
                + "time.sleep(300)\n", home.lockFile().toString()).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(r.readLine()).isEqualTo("locked");
            Connection c = naming(holder.pid(), Instant.EPOCH.plusSeconds(1));
            c.write(home.connectionFile());

            assertThat(LocalPlane.running(home)).contains(c);
            assertThat(PlaneLock.tryTake(home)).as("a second plane is refused").isEmpty();

            holder.destroyForcibly();
            await().atMost(Duration.ofSeconds(10)).until(() -> !holder.isAlive());
            assertThat(LocalPlane.running(home)).isEqualTo(Optional.empty());
            assertThat(home.connectionFile()).doesNotExist();
            try (PlaneLock next = PlaneLock.tryTake(home).orElseThrow()) {
                assertThat(PlaneLock.held(home)).isTrue();
            }
            assertThat(PlaneLock.held(home)).isFalse();
        } finally {
            holder.destroyForcibly();
        }
    }
}
