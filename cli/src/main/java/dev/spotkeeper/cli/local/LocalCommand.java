package dev.spotkeeper.cli.local;

import dev.spotkeeper.cli.job.JobBackend;
import dev.spotkeeper.cli.job.JobBackends;
import dev.spotkeeper.cli.job.LocalPlaneServer;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.store.WorkloadRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spotkeeper local}: the local control plane that outlives the commands. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "The local control plane: the emulator and a resident controller in one background process,"
                + " so that jobs run with `run --detach` keep running and `status`, `list`, `logs`, `cancel` and"
                + " `cost` find them. State in $SPOTKEEPER_HOME (default ~/.spotkeeper).",
        subcommands = {LocalCommand.Start.class, LocalCommand.Status.class, LocalCommand.Stop.class,
                LocalCommand.Reset.class, LocalCommand.Serve.class})
public final class LocalCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A seconds option as a duration, refused outside 0..max with the option's name. */
    public static Duration seconds(String option, double value, double max) {
        if (!(value >= 0) || value > max) {
            throw SpotkeeperException.invalidArgument(option + " must be 0.." + (long) max + " seconds, was " + value);
        }
        return Duration.ofMillis(Math.round(value * 1000));
    }

    static void checkPort(int port) {
        if (port < 0 || port > 65_535) {
            throw SpotkeeperException.invalidArgument("--port must be 0..65535, was " + port);
        }
    }

    /** What the plane holds, read from its state table. */
    record Counts(int workloads, long unfinished, long liveInstances) {
        static Counts of(Connection c, LocalHome home) {
            try (JobBackend backend = JobBackends.connect(c, home)) {
                List<WorkloadRecord> all = backend.store().workloads();
                long live = 0;
                for (WorkloadRecord w : all) {
                    live += backend.store().instances(w.name()).stream().filter(r -> !r.state().isTerminal()).count();
                }
                return new Counts(all.size(), all.stream().filter(w -> !w.status().isTerminal()).count(), live);
            }
        }
    }

    /** {@code local start}: starts the plane in the background and waits until it answers. */
    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start the local control plane in the background and wait until it answers. Does nothing"
                    + " when one already runs.")
    public static final class Start implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1",
                description = "Seconds between the resident controller's passes. Default: ${DEFAULT-VALUE}.")
        double interval;

        @Option(names = "--port", paramLabel = "P", defaultValue = "0",
                description = "Port of the emulator's endpoint on 127.0.0.1 (0 = any free port). Default: ${DEFAULT-VALUE}.")
        int port;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "90",
                description = "How long to wait for it to come up before giving up. Default: ${DEFAULT-VALUE}.")
        double wait;

        @Override
        public Integer call() {
            checkPort(port);
            LocalPlane.StartOptions options = new LocalPlane.StartOptions(seconds("--interval", interval, 3600), port,
                    seconds("--wait", wait, 3600));
            PrintWriter out = spec.commandLine().getOut();
            LocalHome home = LocalHome.resolve();
            Optional<Connection> running = LocalPlane.running(home);
            if (running.isPresent()) {
                out.println("the local control plane already runs at " + running.get().endpoint() + " (pid "
                        + running.get().pid() + ")");
                out.flush();
                return 0;
            }
            out.println("starting the local control plane (emulator and resident controller) in the background...");
            out.flush();
            LocalPlane.Started started = LocalPlane.start(home, options);
            Connection c = started.connection();
            out.println("local control plane running at " + c.endpoint() + " (pid " + c.pid() + ")");
            started.found().ifPresent(out::println);
            out.println("state in " + home.dir() + "; log " + home.logFile());
            out.println("submit with `spotkeeper run FILE --detach`; stop it with `spotkeeper local stop`");
            out.flush();
            return 0;
        }
    }

    /** {@code local status}: whether it runs, where, since when and with how many workloads. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Say whether the local control plane runs: its endpoint, pid, uptime and workloads. Exit code"
                    + " 0 when it runs, 1 when it does not.")
    public static final class Status implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        Clock clock = Clock.systemUTC();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            LocalHome home = LocalHome.resolve();
            LocalPlane.removeStale(home).ifPresent(stale -> out.println("removed the connection file of a local"
                    + " control plane that is gone (pid " + stale.pid() + ", started " + stale.startedAt() + ")"));
            Optional<Connection> running = Connection.read(home.connectionFile());
            if (running.isEmpty()) {
                out.println("no local control plane is running (state in " + home.dir() + "); start one with"
                        + " `spotkeeper local start`");
                out.flush();
                return 1;
            }
            Connection c = running.get();
            out.println("local control plane: running");
            out.println("endpoint:    " + c.endpoint() + " (" + c.region() + ")");
            out.println("pid:         " + c.pid());
            out.println("uptime:      " + uptime(Duration.between(c.startedAt(), clock.instant())) + " (since "
                    + c.startedAt() + ")");
            out.println("workloads:   " + workloads(c, home));
            out.println("state:       " + home.dir() + " (connection " + home.connectionFile().getFileName() + ", log "
                    + home.logFile().getFileName() + ", events " + home.journalFile().getFileName() + ")");
            out.println();
            // As `emulator start` prints them. The keys are this plane's own, generated at its start; they sign only
            // for its endpoint on 127.0.0.1, and spotkeeper's commands keep using the plane with them exported.
            out.println("# the AWS CLI and boto3 reach it with (the keys are generated for this plane):");
            out.println("export AWS_ENDPOINT_URL=" + c.endpoint());
            out.println("export AWS_ACCESS_KEY_ID=" + c.accessKeyId());
            out.println("export AWS_SECRET_ACCESS_KEY=" + c.secretAccessKey());
            out.println("export AWS_DEFAULT_REGION=" + c.region());
            out.flush();
            return 0;
        }

        private static String workloads(Connection c, LocalHome home) {
            try {
                Counts n = Counts.of(c, home);
                return n.workloads() + " (" + n.unfinished() + " unfinished), " + n.liveInstances() + " instance(s) running";
            } catch (SpotkeeperException e) {
                return "unknown: the plane does not answer (" + e.getMessage() + "); see " + home.logFile();
            }
        }

        static String uptime(Duration d) {
            long s = Math.max(0, d.toSeconds());
            return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
                    : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
        }
    }

    /** {@code local stop}: stops the plane, terminating its instances. */
    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop the local control plane. Its instances are terminated; its workloads, checkpoints"
                    + " and results are kept, and the next `local start` resumes the unfinished ones.")
    public static final class Stop implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
                description = "How long it may take to stop cleanly before it is killed. Default: ${DEFAULT-VALUE}.")
        double wait;

        @Override
        public Integer call() {
            Duration limit = seconds("--wait", wait, 3600);
            PrintWriter out = spec.commandLine().getOut();
            LocalHome home = LocalHome.resolve();
            Optional<Connection> running = LocalPlane.running(home);
            if (running.isEmpty()) {
                out.println("no local control plane is running; nothing to stop");
                out.flush();
                return 0;
            }
            Connection c = running.get();
            String instances;
            try {
                instances = Counts.of(c, home).liveInstances() + " running instance(s)";
            } catch (SpotkeeperException e) {
                instances = "instances";
            }
            out.println("stopping the local control plane at " + c.endpoint() + " (pid " + c.pid() + "): terminating"
                    + " its " + instances + "; workloads, checkpoints and results are kept in " + home.dir()
                    + ", and the next `spotkeeper local start` resumes the unfinished ones");
            out.flush();
            LocalPlane.stop(home, limit);
            boolean gone = ProcessHandle.of(c.pid()).map(h -> !h.isAlive()).orElse(true);
            out.println(gone ? "stopped" : "pid " + c.pid() + " did not exit; stop it by hand (kill " + c.pid() + ")");
            out.flush();
            return gone ? 0 : 1;
        }
    }

    /** {@code local reset}: deletes what the planes keep between them, after a confirmation. */
    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = "Delete the local control plane's state and stored objects: its workloads, instances' files,"
                    + " checkpoints and results, and its event log. Asks first (or give --yes); refused while a plane"
                    + " runs.")
    public static final class Reset implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--yes", description = "Delete without asking.")
        boolean yes;

        /** Where the answer is read from; null: the terminal, when there is one. */
        BufferedReader answers;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            LocalHome home = LocalHome.resolve();
            Optional<Connection> running = LocalPlane.running(home);
            if (running.isPresent()) {
                throw LocalReset.runs(running.get().pid());
            }
            LocalReset.Contents contents = LocalReset.contents(home);
            if (contents.isEmpty()) {
                out.println("nothing to reset: no local control plane state in " + home.dir());
                out.flush();
                return 0;
            }
            String what = String.format(Locale.ROOT, "the local control plane's state in %s: its workloads, the"
                    + " instances' files, checkpoints and results (%d files, %.1f MiB) and its event log", home.dir(),
                    contents.files(), contents.bytes() / 1048576.0);
            if (!yes && !confirmed(out, what)) {
                out.println("nothing deleted");
                out.flush();
                return 1;
            }
            LocalReset.delete(home, contents);
            out.println("deleted " + what);
            out.flush();
            return 0;
        }

        private boolean confirmed(PrintWriter out, String what) throws IOException {
            BufferedReader in = answers;
            if (in == null && System.console() != null) {
                in = new BufferedReader(System.console().reader());
            }
            if (in == null) {
                throw SpotkeeperException.invalidArgument("not deleting " + what + " without a confirmation: run"
                        + " `spotkeeper local reset --yes`");
            }
            out.print("delete " + what + "? [y/N] ");
            out.flush();
            String answer = in.readLine();
            return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
        }
    }

    /** {@code local serve}: the background process itself, started by {@code local start}. */
    @Command(name = "serve", hidden = true,
            description = "Run the local control plane in this process (what `local start` starts in the background).")
    public static final class Serve implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1")
        double interval;

        @Option(names = "--port", paramLabel = "P", defaultValue = "0")
        int port;

        @Override
        public Integer call() {
            checkPort(port);
            // The root command runs command lines for other processes; without it (a test's own command line) the
            // plane has no control endpoint and the commands reach it through the AWS adapters.
            PlaneControl.Runner runner = spec.root().userObject() instanceof PlaneControl.Runner r ? r : null;
            return LocalPlaneServer.serve(LocalHome.resolve(), seconds("--interval", interval, 3600), port,
                    Clock.systemUTC(), spec.commandLine().getOut(), runner);
        }
    }
}
