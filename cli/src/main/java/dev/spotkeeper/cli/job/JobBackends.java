package dev.spotkeeper.cli.job;

import dev.spotkeeper.cli.local.Connection;
import dev.spotkeeper.cli.local.LocalHome;
import dev.spotkeeper.cli.local.LocalPlane;
import dev.spotkeeper.cli.local.PlaneClient;
import dev.spotkeeper.cli.local.PlaneControl;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Opens the backend the job commands run against ({@link JobTarget}): AWS, or the local control plane when one runs
 * (also when the AWS settings in the environment point at it). Without one, only a foreground {@code run} has
 * somewhere to go (the emulator in its own process); the other commands say how to get one. Before a command runs,
 * {@link #beforeRun} says when it acts on another target than the last command did, and sends the commands that
 * only look (and {@code cancel}) to the plane to run there. Tests install their own opener.
 */
public final class JobBackends {
    static final String NONE_RUNNING = "no local control plane is running; start one with `spotkeeper local start`,"
            + " or run the job in the foreground (`spotkeeper run FILE`)";

    private static volatile Function<DeploymentOptions, JobBackend> opener = JobBackends::openDefault;

    private static volatile Function<DeploymentOptions, JobBackend> installed;

    private JobBackends() {
    }

    /** For commands about workloads already submitted: AWS, or the running local control plane. */
    public static JobBackend open(DeploymentOptions options) {
        return opener.apply(options);
    }

    /** For {@code run FILE}: as {@link #open}, but locally with no plane, the emulator in this process. */
    static JobBackend openForeground(DeploymentOptions options) {
        if (!usesDefault()) {
            return open(options);
        }
        JobTarget target = target(options);
        return target instanceof JobTarget.NoPlane ? EmulatorBackend.start() : open(target, options);
    }

    /** For {@code run --detach}: as {@link #open}, but locally a control plane is started when none runs. */
    static JobBackend openStarting(DeploymentOptions options, PrintWriter out) {
        if (!usesDefault()) {
            return open(options);
        }
        JobTarget target = target(options);
        if (!(target instanceof JobTarget.NoPlane)) {
            return open(target, options);
        }
        LocalHome home = LocalHome.resolve();
        Optional<Connection> c = LocalPlane.running(home);
        if (c.isEmpty()) {
            out.println("starting the local control plane (emulator and resident controller) in the background...");
            out.flush();
            LocalPlane.Started started = LocalPlane.start(home, LocalPlane.StartOptions.defaults());
            out.println("started the local control plane at " + started.connection().endpoint() + " (pid "
                    + started.connection().pid() + "); stop it with: spotkeeper local stop");
            started.found().ifPresent(out::println);
            out.flush();
            c = Optional.of(started.connection());
        }
        return connect(c.get(), home);
    }

    /** The backend of a running local control plane. */
    public static JobBackend connect(Connection connection, LocalHome home) {
        return new LocalPlaneBackend(connection, home);
    }

    /** Goes back to the default opener (tests, after {@link #install}). */
    static void uninstall() {
        opener = JobBackends::openDefault;
        installed = null;
    }

    /** True unless a test installed its own opener. */
    static boolean usesDefault() {
        return installed == null;
    }

    /** Replaces how backends are opened (tests: in-memory fakes); returns the previous opener. */
    public static Function<DeploymentOptions, JobBackend> install(Function<DeploymentOptions, JobBackend> next) {
        Function<DeploymentOptions, JobBackend> previous = opener;
        opener = Objects.requireNonNull(next, "next is null");
        installed = next;
        return previous;
    }

    /** True when the commands would run locally (a local control plane or the emulator), not on AWS. */
    public static boolean isLocal(DeploymentOptions options) {
        return !(target(options) instanceof JobTarget.Aws);
    }

    /** Where the job commands act with these options, in this environment. */
    static JobTarget target(DeploymentOptions options) {
        return JobTarget.resolve(options, JobTarget.Environment.system(), LocalHome.resolve());
    }

    private static JobBackend openDefault(DeploymentOptions options) {
        return open(target(options), options);
    }

    private static JobBackend open(JobTarget target, DeploymentOptions options) {
        if (target instanceof JobTarget.Plane plane) {
            return connect(plane.connection(), plane.home());
        }
        if (target instanceof JobTarget.Aws) {
            return AwsBackend.open(options, System.getenv());
        }
        throw SpotkeeperException.invalidArgument(NONE_RUNNING);
    }

    /**
     * A command line sent as it is to the local control plane when it is one the plane runs for others and nothing in
     * it could change where it goes ({@code --profile}, {@code --region}) or ask for help; the plane parses it. Empty
     * when it is to be parsed and run here.
     */
    public static Optional<Integer> sendToPlane(List<String> args, PrintWriter out, PrintWriter err) {
        if (args.isEmpty() || !PlaneControl.COMMANDS.contains(args.get(0))) {
            return Optional.empty();
        }
        for (String a : args) {
            if (a.startsWith("--profile") || a.startsWith("--region") || a.equals("-h") || a.equals("--help")
                    || a.equals("-V") || a.equals("--version")) {
                return Optional.empty();
            }
        }
        return beforeRun(args.get(0), new DeploymentOptions(), args, out, err);
    }

    /**
     * What happens before a job command runs, with the default opener: a line when it acts on another target than
     * the last command did, and the commands a plane runs for others sent to the plane. Returns their exit code, or
     * empty when the command is to run here.
     */
    public static Optional<Integer> beforeRun(String command, DeploymentOptions options, List<String> args,
                                              PrintWriter out, PrintWriter err) {
        if (!usesDefault()) {
            return Optional.empty();
        }
        LocalHome home = LocalHome.resolve();
        JobTarget target = JobTarget.resolve(options, JobTarget.Environment.system(), home);
        LastTarget.switchTo(home, target).ifPresent(line -> {
            err.println(line);
            err.flush();
        });
        if (target instanceof JobTarget.Plane plane && PlaneControl.COMMANDS.contains(command)) {
            return PlaneClient.run(plane.connection(), args, out, err);
        }
        return Optional.empty();
    }
}
