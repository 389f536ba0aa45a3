package dev.spotkeeper.cli.job;

import dev.spotkeeper.cli.local.LocalCommand;
import dev.spotkeeper.cli.local.LocalHome;
import dev.spotkeeper.cli.local.PlaneControl;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spotkeeper controller}: the resident reconciler, in the foreground until Ctrl-C or SIGTERM. On AWS it
 * handles the jobs submitted with {@code run --detach}; with no AWS to run on it is the local control plane.
 */
@Command(name = "controller", mixinStandardHelpOptions = true,
        description = "Run the controller until Ctrl-C or SIGTERM: it handles the event queue (interruption warnings,"
                + " the agents' reports) and reconciles every workload, printing its event log. On AWS this is what"
                + " keeps jobs submitted with `run --detach` alive; stopped and started again, it adopts what runs by"
                + " its tags. With no AWS profile or credentials it runs the local control plane (emulator and"
                + " controller) in the foreground, as `local start` does in the background.")
public final class ControllerCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeploymentOptions deployment;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1",
            description = "Seconds between controller passes. Default: ${DEFAULT-VALUE}.")
    double interval;

    @Override
    public Integer call() {
        Duration pause = LocalCommand.seconds("--interval", interval, 3600);
        PrintWriter out = spec.commandLine().getOut();
        if (JobBackends.usesDefault() && JobBackends.isLocal(deployment)) {
            out.println("no AWS profile or credentials: running the local control plane in the foreground"
                    + " (Ctrl-C to stop; `spotkeeper local start` runs it in the background)");
            out.flush();
            PlaneControl.Runner runner = spec.root().userObject() instanceof PlaneControl.Runner r ? r : null;
            return LocalPlaneServer.serve(LocalHome.resolve(), pause, 0, Clock.systemUTC(), out, runner);
        }
        try (ResidentLoop loop = new ResidentLoop(); JobBackend backend = JobBackends.open(deployment)) {
            if (backend.resident()) {
                throw SpotkeeperException.invalidArgument(backend.description() + " has a controller of its own; a"
                        + " second one on its queue would split the events");
            }
            backend.warnings(line -> {
                out.println(line);
                out.flush();
            });
            Controller controller = Jobs.controller(backend);
            controller.addListener(e -> {
                out.println(e);
                out.flush();
            });
            out.println("controller on " + backend.description() + ": a pass every " + interval + " s (Ctrl-C to stop)");
            out.flush();
            try (Notifications notifications = Notifications.start(backend, controller, out)) {
                loop.run(controller, pause, out);
            } finally {
                controller.close();
                out.println("controller stopped; the instances keep running and the next controller adopts them by"
                        + " their tags");
                out.flush();
            }
            return 0;
        }
    }
}
