package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spotkeeper endpoint}: refused, with a fix and exit 2, for a job and for an unknown workload. */
class EndpointCommandTest {
    @TempDir
    Path dir;

    @AfterEach
    void uninstall() {
        JobBackends.uninstall();
    }

    private record Ran(int code, String out, String err) {
    }

    private static Ran run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Ran(code, out.toString(), err.toString());
    }

    @Test
    void endpoint_ofAJob_isRefusedWithExit2_sayingOnlyServicesHaveOne() throws IOException {
        InMemoryBackend backend = new InMemoryBackend(false);
        JobBackends.install(o -> backend);
        Path f = dir.resolve("train.yaml");
        Files.writeString(f, "name: train\nrun: python train.py\ncheckpoint:\n  dir: /tmp/ckpt\n");
        assertThat(run("run", f.toString(), "--timeout", "PT0S").code()).isZero();

        Ran r = run("endpoint", "train", "--json");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("error: 'train' is a job, not a service").contains("spotkeeper status train")
                .doesNotContain("Exception");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void endpoint_ofAnUnknownWorkload_isRefusedWithExit2_namingTheNearest() throws IOException {
        InMemoryBackend backend = new InMemoryBackend(false);
        JobBackends.install(o -> backend);
        Path f = dir.resolve("appdb.yaml");
        Files.writeString(f, "name: appdb\nrun: python train.py\ncheckpoint:\n  dir: /tmp/ckpt\n");
        assertThat(run("run", f.toString(), "--timeout", "PT0S").code()).isZero();

        Ran r = run("endpoint", "apdb");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no workload named 'apdb'").contains("appdb").doesNotContain("Exception");
    }
}
