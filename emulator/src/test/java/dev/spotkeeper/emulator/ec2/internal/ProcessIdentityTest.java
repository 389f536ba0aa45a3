package dev.spotkeeper.emulator.ec2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessIdentityTest {
    @TempDir
    Path dir;

    @Test
    void startTicks_areCountedFromTheLastParenthesis_soACommandNameWithSpacesAndParenthesesShiftsNothing() {
        String stat = "4242 (a) b (c)) S 1 4242 4242 0 -1 4194560 120 0 0 0 1 2 0 0 20 0 1 0 987654 2490368 215 "
                + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        assertThat(ProcessIdentity.startTicks(stat)).contains("987654");
    }

    @Test
    void startTicks_ofATruncatedLine_areUnknown() {
        assertThat(ProcessIdentity.startTicks("4242 (sh) S 1 4242")).isEmpty();
        assertThat(ProcessIdentity.startTicks("no parenthesis")).isEmpty();
    }

    @Test
    void identity_joinsTheBootAndTheTicks_andIsEmptyWithoutAProcess() throws Exception {
        Path boot = Files.writeString(dir.resolve("boot_id"), "5f1c1c9e-0000-4000-8000-000000000001\n");
        Files.createDirectories(dir.resolve("77"));
        Files.writeString(dir.resolve("77/stat"), "77 (sleep) S 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 31337 0 0\n");
        assertThat(ProcessIdentity.of(dir, boot, 77)).contains("5f1c1c9e-0000-4000-8000-000000000001/31337");
        assertThat(ProcessIdentity.of(dir, boot, 78)).isEmpty();
    }

    @Test
    void identity_ofThisProcess_isStable() {
        long me = ProcessHandle.current().pid();
        if (Files.isReadable(Path.of("/proc/self/stat"))) {
            assertThat(ProcessIdentity.of(me)).isPresent();
            assertThat(ProcessIdentity.of(me)).isEqualTo(ProcessIdentity.of(me));
        }
    }
}
