package dev.spotkeeper.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process through picocli's execute() and captures what it printed. */
public record CliRun(int exitCode, String out, String err) {
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Both streams, for a failed assertion's description. */
    public String all() {
        return out + err;
    }
}
