package dev.spotkeeper.agent;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.temporal.ChronoUnit;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The agent's lines on the instance console, one per line as the job's are: {@code 2026-12-03T10:00:00Z agent:
 * restored checkpoint=ckpt-…}, with {@code warning:} or {@code error:} in front of what needs attention. Not the
 * two-line records of {@code java.util.logging}'s default, which {@code spotkeeper logs} would show interleaved with
 * the job's output.
 */
public final class AgentLog extends Formatter {
    @Override
    public String format(LogRecord r) {
        StringBuilder line = new StringBuilder();
        line.append(r.getInstant().truncatedTo(ChronoUnit.SECONDS)).append(" agent: ");
        if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
            line.append("error: ");
        } else if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
            line.append("warning: ");
        }
        line.append(formatMessage(r).replace('\n', ' '));
        if (r.getThrown() != null) {
            line.append(" (").append(r.getThrown()).append(')');
            if (r.getLevel().intValue() < Level.SEVERE.intValue()) {
                return line.append('\n').toString();
            }
            StringWriter trace = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        return line.append('\n').toString();
    }

    /** Makes every console handler of the root logger write agent lines (the agent's process only). */
    public static void install() {
        Logger root = Logger.getLogger("");
        boolean console = false;
        for (Handler h : root.getHandlers()) {
            if (h instanceof ConsoleHandler) {
                h.setFormatter(new AgentLog());
                console = true;
            }
        }
        if (!console) {
            ConsoleHandler h = new ConsoleHandler();
            h.setFormatter(new AgentLog());
            root.addHandler(h);
        }
    }
}
