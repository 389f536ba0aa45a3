package dev.spotkeeper.bench;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code spotkeeper bench ...} in-process through picocli's execute() and captures what it printed. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BenchMain.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
