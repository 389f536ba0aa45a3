package dev.spotkeeper.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code local reset} deletes the planes' kept state only when told to, and never under a running plane. */
class LocalResetTest {
    @TempDir
    Path dir;

    private String before;
    private LocalHome home;
    private Path checkpoint;
    private PlaneLock lock;

    @BeforeEach
    void home() throws IOException {
        before = System.getProperty(LocalHome.PROPERTY);
        home = new LocalHome(dir.resolve("home"));
        System.setProperty(LocalHome.PROPERTY, home.dir().toString());
        home.ensure();
        checkpoint = home.workDirectory().resolve("s3/ckpt/train/ckpt-0000000003/manifest.json");
        Files.createDirectories(checkpoint.getParent());
        Files.writeString(checkpoint, "{\"step\":167}");
        Files.writeString(home.journalFile(), "{\"kind\":\"SUBMITTED\"}\n");
    }

    @AfterEach
    void restore() {
        if (lock != null) {
            lock.close();
        }
        if (before == null) {
            System.clearProperty(LocalHome.PROPERTY);
        } else {
            System.setProperty(LocalHome.PROPERTY, before);
        }
    }

    private record Result(int code, String out, String err) {
    }

    private static Result reset(String answer, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        LocalCommand.Reset reset = cl.getSubcommands().get("local").getSubcommands().get("reset").getCommand();
        reset.answers = answer == null ? null : new BufferedReader(new StringReader(answer));
        String[] all = new String[args.length + 2];
        all[0] = "local";
        all[1] = "reset";
        System.arraycopy(args, 0, all, 2, args.length);
        int code = cl.execute(all);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void reset_withoutATerminalOrYes_refusesAndDeletesNothing() {
        Result r = reset(null);

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("without a confirmation").contains("spotkeeper local reset --yes");
        assertThat(checkpoint).exists();
        assertThat(home.journalFile()).exists();
    }

    @Test
    void reset_answeredNo_deletesNothing() {
        Result r = reset("n\n");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("delete the local control plane's state in " + home.dir())
                .contains("[y/N]").contains("nothing deleted");
        assertThat(checkpoint).exists();
    }

    @Test
    void reset_answeredYes_deletesTheStateAndTheEventLog() {
        Result r = reset("y\n");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("deleted the local control plane's state");
        assertThat(home.workDirectory()).doesNotExist();
        assertThat(home.journalFile()).doesNotExist();
        assertThat(home.dir()).isDirectory();
    }

    @Test
    void reset_withYes_whileAPlaneRuns_isRefused() {
        // A connection file naming a live process that holds the home's lock (this one) is a running plane.
        lock = PlaneLock.tryTake(home).orElseThrow();
        ProcessHandle self = ProcessHandle.current();
        new Connection("http://127.0.0.1:9", "us-east-1", "AKIATEST", "generated-" + System.nanoTime(), "q", "t",
                self.pid(), self.info().startInstant().orElseThrow(), Instant.parse("2026-01-01T00:00:00Z"))
                .write(home.connectionFile());

        Result r = reset(null, "--yes");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("a local control plane runs (pid " + self.pid() + ")")
                .contains("spotkeeper local stop");
        assertThat(checkpoint).exists();
    }
}
