package dev.spotkeeper.bench;

import dev.spotkeeper.cli.charts.BarChart;
import dev.spotkeeper.cli.job.JarPath;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * B4: recovery time on the local emulator with instance boot delay 0. A job holds a committed checkpoint; an FIS
 * experiment interrupts its spot instance; the figures are the controller's launch of the replacement after the
 * warning, and the replacement's agent reporting the checkpoint restored.
 */
@Command(name = "recovery", mixinStandardHelpOptions = true,
        description = "B4: from an FIS interruption warning to the replacement launch request (goal <= 1 s) and to the"
                + " replacement's agent reporting the checkpoint restored (goal <= 10 s plus the transfer), on the"
                + " local emulator with boot delay 0.")
public final class RecoveryBench implements Callable<Integer> {
    static final double GOAL_LAUNCH_S = 1;
    static final double GOAL_RESTORED_S = 10;
    static final String CSV_HEADER = "run,victim,replacement,warning_delivery_s,launch_after_warning_s,agent_start_s,"
            + "launch_to_restore_start_s,transfer_s,restored_after_warning_s,restored_minus_transfer_s,restored_bytes";
    private static final double MAX_GIB = 64;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--size-gib", defaultValue = "1",
            description = "Checkpoint size in GiB: 7/8 in one file, the rest in 4 small ones (default ${DEFAULT-VALUE}).")
    double sizeGib;

    @Option(names = "--runs", defaultValue = "3", description = "Interruptions measured, one job each (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--out", defaultValue = "target/bench", description = "Where to write recovery.csv and recovery.svg (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--work", description = "Directory for the emulator's data, the instances' disks and S3 (default: a"
            + " new temporary directory, deleted at the end). Needs about 3 times the checkpoint size per run free.")
    Path work;

    @Override
    public Integer call() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        long bytes = validate();
        directory(out, "--out");
        Path base = work != null ? directory(work, "--work") : Files.createTempDirectory("spotkeeper-b4-");
        try {
            checkSpace(base, bytes);
        } catch (SpotkeeperException e) {
            if (work == null) {
                Files.deleteIfExists(base);
            }
            throw e;
        }
        pw.printf(Locale.ROOT, "B4 recovery: %d run(s), checkpoint %s (random bytes); starting the local emulator"
                + " (boot delay 0) with its data in %s%n", runs, RecoveryRig.gib(bytes), base);
        pw.flush();
        List<RecoveryTimes> times = new ArrayList<>();
        RecoveryRig rig;
        double jvmStart = Double.NaN;
        // Ctrl-C: the JVM runs shutdown hooks, not finally blocks; the hook ends every instance and the emulator.
        Cleanup cleanup = new Cleanup(base, work == null);
        Thread hook = new Thread(cleanup::run, "spotkeeper-bench-recovery-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            rig = RecoveryRig.start(base.resolve("emulator"), pw);
            cleanup.rig = rig;
            pw.println("emulator at " + rig.endpoint());
            for (int run = 1; run <= runs; run++) {
                pw.printf(Locale.ROOT, "run %d/%d%n", run, runs);
                pw.flush();
                times.add(rig.run("recovery-" + run, bytes));
            }
            jvmStart = jvmStart();
        } finally {
            cleanup.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs the same idempotent cleanup
            }
        }
        report(pw, times, jvmStart);
        return 0;
    }

    /** Creates the directory an option names, or says clearly why it cannot be used (before anything starts). */
    private static Path directory(Path dir, String option) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw SpotkeeperException.invalidArgument(option + " " + dir + " cannot be used as a directory ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); give a writable directory");
        }
    }

    private long validate() {
        if (runs < 1 || runs > 50) {
            throw SpotkeeperException.invalidArgument("--runs must be between 1 and 50, got " + runs);
        }
        if (!(sizeGib > 0) || sizeGib > MAX_GIB) {
            throw SpotkeeperException.invalidArgument("--size-gib must be more than 0 and at most " + (int) MAX_GIB
                    + " (e.g. --size-gib 0.01 for 10 MiB), got " + sizeGib);
        }
        long bytes = (long) (sizeGib * (1L << 30));
        if (bytes < 64 * 1024) {
            throw SpotkeeperException.invalidArgument("--size-gib " + sizeGib + " is under 64 KiB; give at least 0.0001");
        }
        return bytes;
    }

    /**
     * Each run's checkpoint lives three times on this disk until the end: the victim's, S3's copy and the
     * replacement's.
     */
    private void checkSpace(Path base, long bytes) throws IOException {
        long free = Files.getFileStore(base).getUsableSpace();
        long needed = bytes * 3 * runs + (256L << 20);
        if (free < needed) {
            throw SpotkeeperException.invalidArgument(String.format(Locale.ROOT, "%s has %s free but %d run(s) of a %s"
                            + " checkpoint need about %s; free some space, or pass --work DIR on a larger disk, fewer --runs"
                            + " or a smaller --size-gib", base, RecoveryRig.gib(free), runs, RecoveryRig.gib(bytes),
                    RecoveryRig.gib(needed)));
        }
    }

    /**
     * How long the command the instances start the agent with takes to start and exit alone, under the same
     * load: the share of "launch → restore starts" that is the JVM's. NaN when it cannot be run.
     */
    private static double jvmStart() {
        try {
            long start = System.nanoTime();
            Process p = new ProcessBuilder("sh", "-c", JarPath.agentCommand() + " --version")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Double.NaN;
            }
            return p.exitValue() == 0 ? (System.nanoTime() - start) / 1e9 : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    private void report(PrintWriter pw, List<RecoveryTimes> times, double jvmStart) throws IOException {
        List<String> csv = new ArrayList<>(List.of(CSV_HEADER));
        String format = "%-6s %12s %12s %12s %12s %10s %12s %12s%n";
        pw.println();
        pw.printf(Locale.ROOT, format, "run", "FIS→warning", "warn→launch", "launch→agent*", "launch→restor",
                "transfer", "FIS→restored", "restor−xfer");
        for (int i = 0; i < times.size(); i++) {
            RecoveryTimes t = times.get(i);
            row(pw, format, String.valueOf(i + 1), t.warningDelivery(), t.launchAfterWarning(), t.agentStart(),
                    t.launchToRestoreStart(), t.transferSeconds(), t.restoredAfterWarning(), t.restoredMinusTransfer());
            csv.add(String.format(Locale.ROOT, "%d,%s,%s,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%d", i + 1, t.victim(),
                    t.replacement(), t.warningDelivery(), t.launchAfterWarning(), t.agentStart(), t.launchToRestoreStart(),
                    t.transferSeconds(), t.restoredAfterWarning(), t.restoredMinusTransfer(), t.restoredBytes()));
        }
        double[] m = {median(times, RecoveryTimes::warningDelivery), median(times, RecoveryTimes::launchAfterWarning),
            median(times, RecoveryTimes::agentStart), median(times, RecoveryTimes::launchToRestoreStart),
            median(times, RecoveryTimes::transferSeconds), median(times, RecoveryTimes::restoredAfterWarning),
            median(times, RecoveryTimes::restoredMinusTransfer)};
        row(pw, format, "median", m[0], m[1], m[2], m[3], m[4], m[5], m[6]);
        long bytes = times.stream().map(RecoveryTimes::restoredBytes).min(Comparator.naturalOrder()).orElse(0L);
        csv.add(String.format(Locale.ROOT, "median,,,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%d", m[0], m[1], m[2], m[3],
                m[4], m[5], m[6], bytes));
        pw.println();
        pw.printf(Locale.ROOT, "figure 1  warning received → replacement launch requested: median %.3f s (goal <= %.0f s) %s%n",
                m[1], GOAL_LAUNCH_S, m[1] <= GOAL_LAUNCH_S ? "PASS" : "MISS");
        pw.printf(Locale.ROOT, "figure 2  FIS warning → replacement restored: median %.2f s, of which %.2f s transfer of %s;"
                        + " %.2f s without it (goal <= %.0f s + transfer) %s%n", m[5], m[4], RecoveryRig.gib(bytes), m[6],
                GOAL_RESTORED_S, m[6] <= GOAL_RESTORED_S ? "PASS" : "MISS");
        pw.println("  launch→agent*: to the replacement agent's \"started\" report as the controller got it (it may wait"
                + " for the controller's next receive)");
        pw.println("  launch→restor: to the start of the restore (restored minus transfer): agent JVM, AWS clients,"
                + " IMDS, the \"started\" report");
        pw.println("  transfer: the replacement agent's own restore time (list, parallel ranged GETs, SHA-256 check,"
                + " move into place), from its \"restored\" report");
        if (!Double.isNaN(jvmStart)) {
            pw.printf(Locale.ROOT, "  for reference: the command that starts the agent (java -jar spotkeeper.jar) runs"
                    + " --version in %.2f s on this machine now%n", jvmStart);
        }
        write(pw, csv, m);
        pw.flush();
    }

    private static void row(PrintWriter pw, String format, String run, double... values) {
        Object[] cells = new Object[values.length + 1];
        cells[0] = run;
        for (int i = 0; i < values.length; i++) {
            cells[i + 1] = String.format(Locale.ROOT, "%.3f", values[i]);
        }
        pw.printf(Locale.ROOT, format, cells);
    }

    private void write(PrintWriter pw, List<String> csv, double[] m) throws IOException {
        BarChart chart = new BarChart("B4 recovery: median phases after an FIS interruption warning", "s");
        chart.bar("FIS start → warning at controller", m[0], "#9D9D9D");
        chart.bar("warning → launch requested", m[1], "#4C78A8");
        chart.bar("launch → restore starts (JVM, clients)", m[3], "#F58518");
        chart.bar("restore (transfer, agent-reported)", m[4], "#54A24B");
        chart.bar("FIS start → restored (figure 2)", m[5], "#B279A2");
        chart.bar("figure 2 minus transfer", m[6], "#E45756");
        chart.goal(GOAL_RESTORED_S, "goal: figure 2 minus transfer ≤ 10 s");
        Files.createDirectories(out);
        Files.write(out.resolve("recovery.csv"), csv);
        Files.writeString(out.resolve("recovery.svg"), chart.toSvg());
        pw.println("wrote " + out.resolve("recovery.csv") + " and " + out.resolve("recovery.svg"));
    }

    static double median(List<RecoveryTimes> times, ToDoubleFunction<RecoveryTimes> f) {
        double[] v = times.stream().mapToDouble(f).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Runs once, from the normal end or from the shutdown hook on Ctrl-C, whichever comes first. */
    private static final class Cleanup {
        private final Path base;
        private final boolean deleteBase;
        private volatile RecoveryRig rig;
        private boolean done;

        Cleanup(Path base, boolean deleteBase) {
            this.base = base;
            this.deleteBase = deleteBase;
        }

        synchronized void run() {
            if (done) {
                return;
            }
            done = true;
            try {
                if (rig != null) {
                    rig.close();
                }
            } finally {
                deleteTree(deleteBase ? base : base.resolve("emulator"));
            }
        }

        private static void deleteTree(Path dir) {
            if (!Files.exists(dir)) {
                return;
            }
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "cannot clean up " + dir + ": " + e.getMessage(), e);
            }
        }
    }
}
