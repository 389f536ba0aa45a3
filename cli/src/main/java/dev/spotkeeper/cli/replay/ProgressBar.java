package dev.spotkeeper.cli.replay;

import java.io.PrintWriter;

/** A plain-text progress bar on stderr, redrawn in place: {@code [#####.....] 52/105 windows}. */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final int total;
    private int completed;
    private boolean drawn;

    public ProgressBar(PrintWriter err, int total) {
        this.err = err;
        this.total = Math.max(1, total);
    }

    public synchronized int completed() {
        return completed;
    }

    /** Records {@code done} windows finished in all and redraws; calls may come from several threads. */
    public synchronized void update(int done) {
        if (done <= completed) {
            return;
        }
        completed = done;
        int filled = (int) ((long) WIDTH * completed / total);
        err.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + completed + "/" + total + " windows");
        err.flush();
        drawn = true;
    }

    /** Ends the bar's line so other output starts on a fresh one. */
    public synchronized void pause() {
        if (drawn) {
            err.println();
            err.flush();
            drawn = false;
        }
    }

    public synchronized void finish() {
        pause();
    }
}
