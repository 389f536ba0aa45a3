package dev.spotkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.cli.job.ChaosCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every Duration option reads the one grammar through the converter registered on the root command line. */
class DurationConverterTest {
    @Test
    void durationOptions_acceptTheSpecGrammar_inEverySubcommand() {
        CommandLine cl = Main.commandLine();

        CommandLine.ParseResult chaos = cl.parseArgs("chaos", "train", "--interruptions", "2", "--every", "1h30m",
                "--wait", "1.5m");
        CommandLine.ParseResult run = Main.commandLine().parseArgs("run", "train.yaml", "--timeout", "1d");

        assertThat(chaos.subcommand().matchedOptionValue("--every", Duration.ZERO)).isEqualTo(Duration.ofMinutes(90));
        assertThat(chaos.subcommand().matchedOptionValue("--wait", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
        assertThat(run.subcommand().matchedOptionValue("--timeout", Duration.ZERO)).isEqualTo(Duration.ofDays(1));
        assertThat((Object) cl.getSubcommands().get("chaos").getCommand()).isInstanceOf(ChaosCommand.class);
    }

    @Test
    void aWrongDuration_isRefusedWithTheOptionAndTheFormsToWrite_exit2() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine().setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()));

        int code = cl.execute("chaos", "train", "--interruptions", "1", "--every", "often");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid value for option '--every': must be a duration like 90s, 30m,"
                + " 2h, 1d or 1h30m; was 'often'").doesNotContain("Exception");
    }
}
