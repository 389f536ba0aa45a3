package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The demo end to end: emulator, controller and the real agent (started from this class path) together. */
class DemoCommandTest {
    @Test
    void demo_interruptsMidway_evacuatesRestoresAndFinishes() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("demo", "--steps", "14", "--interrupt-at", "5");

        String text = out.toString();
        assertThat(code).as(text + err).isZero();
        assertThat(text).contains(">>> interrupting").contains("AT_RISK demo-train").contains("EVACUATED demo-train")
                .contains("takes over").contains("SUCCEEDED demo-train").contains("demo-train succeeded on 2 instances")
                .contains("saved");
        assertThat(text).containsPattern("RESTORED demo-train i-\\w+: restored ckpt-\\d{10}-i-");
    }

    @Test
    void demo_refusesAnInterruptionAfterTheEnd() {
        StringWriter err = new StringWriter();

        int code = Main.commandLine().setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
                .execute("demo", "--steps", "5", "--interrupt-at", "9");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--interrupt-at between 1 and steps - 1");
    }
}
