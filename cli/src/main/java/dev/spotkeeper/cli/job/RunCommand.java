package dev.spotkeeper.cli.job;

import dev.spotkeeper.spec.yaml.YamlSpecs;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.core.workload.SpecNode;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.core.workload.WorkloadSpecReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spotkeeper run FILE}: submits a workload and keeps it alive until it finishes. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Submit a workload file and keep it alive on spot until it finishes, printing its events and a"
                + " status line. Exit code 0 when the job succeeded, 1 when it failed or was cancelled.")
public final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeploymentOptions deployment;

    @Parameters(index = "0", paramLabel = "FILE", description = "Workload file (YAML); see docs/controller.md.")
    Path file;

    @Option(names = "--detach", description = "Submit and return; follow later with `spotkeeper status NAME`. Locally"
            + " the local control plane is started in the background first when none runs.")
    boolean detach;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1",
            description = "Seconds between controller passes (or, with a resident controller, looks at its progress)"
                    + " while following. Default: ${DEFAULT-VALUE}.")
    double interval;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Stop following (the job keeps running) after this long, e.g. 30m or PT30M. Default: until it ends.")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        String text = YamlSpecs.text(file);
        SpecNode tree = YamlSpecs.tree(file.toString(), text);
        WorkloadSpec workload = WorkloadSpecReader.read(file.toString(), tree);
        if (interval < 0) {
            throw SpotkeeperException.invalidArgument("--interval must not be negative, was " + interval);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (JobBackend backend = detach ? JobBackends.openStarting(deployment, out)
                : JobBackends.openForeground(deployment)) {
            PrintWriter err = spec.commandLine().getErr();
            backend.warnings(line -> {
                err.println(line);
                err.flush();
            });
            Controller controller = Jobs.controller(backend);
            // Taken before submitting, so the follower sees this submission's events and none of an earlier one.
            JournalFile.Tail tail = backend.journal().map(JournalFile::tail).orElse(null);
            backend.submitMarket().ifPresent(market -> SubmitChecks.placeable(file.toString(), tree, workload, market,
                    backend.clock().instant()));
            SubmitChecks.Submission submission = SubmitChecks.withCheckpoints(file.toString(), tree, text, workload,
                    backend.defaultCheckpoints(), out);
            backend.prepare(submission.spec());
            controller.submit(submission.spec());
            out.println("submitted " + workload.name() + " to " + backend.description());
            if (detach) {
                if (!backend.resident() && !JobBackends.isLocal(deployment)) {
                    out.println("it runs while a resident controller handles its events: keep `spotkeeper controller"
                            + (deployment.profile() == null ? "" : " --profile " + deployment.profile()) + "` running");
                }
                out.println("follow it with: spotkeeper status " + workload.name());
                out.flush();
                return 0;
            }
            if (backend.resident()) {
                out.println("following it; Ctrl-C stops following, the job keeps running");
                boolean[] ended = {false};
                return follow(backend, controller, workload.name(), out, () -> ended[0] |= print(tail, workload.name(), out),
                        () -> ended[0]);
            }
            if (backend instanceof EmulatorBackend) {
                out.println("(the emulator runs in this command and ends with it; `spotkeeper local start` keeps one"
                        + " running for `run --detach`)");
            }
            controller.addListener(e -> {
                if (concerns(e, workload.name())) {
                    out.println(e);
                    out.flush();
                }
            });
            try (Notifications notifications = Notifications.start(backend, controller, err)) {
                int code = follow(backend, controller, workload.name(), out, controller::runOnce, () -> true);
                notifications.flush();
                return code;
            }
        }
    }

    private static boolean concerns(ControllerEvent e, String name) {
        return e.workload().equals(name) || e.kind() == ControllerEvent.Kind.MALFORMED_EVENT;
    }

    /**
     * The resident controller's events about this workload since the last look; whether one of them was its end
     * (succeeded, failed, cancelled).
     */
    private static boolean print(JournalFile.Tail tail, String name, PrintWriter out) {
        if (tail == null) {
            return true;
        }
        boolean ended = false;
        for (ControllerEvent e : tail.read()) {
            if (concerns(e, name)) {
                out.println(e);
                ended |= e.workload().equals(name) && ENDS.contains(e.kind());
            }
        }
        out.flush();
        return ended;
    }

    private static final java.util.Set<ControllerEvent.Kind> ENDS = java.util.EnumSet.of(ControllerEvent.Kind.SUCCEEDED,
            ControllerEvent.Kind.FAILED, ControllerEvent.Kind.CANCELLED);
    /** How long the follower waits for the resident controller's log to show an end the store shows already. */
    private static final Duration LOG_CATCH_UP = Duration.ofSeconds(10);

    /**
     * Polls until the workload ends; {@code step} is a controller pass of this command's own, or, with a resident
     * controller, reading what that one logged.
     */
    private int follow(JobBackend backend, Controller controller, String name, PrintWriter out, Runnable step,
            java.util.function.BooleanSupplier logShowsEnd) throws InterruptedException {
        Instant stopAt = timeout == null ? null : backend.clock().instant().plus(timeout);
        String last = "";
        while (true) {
            step.run();
            WorkloadRecord w = Jobs.workload(backend, name);
            // Money moves every pass: print when anything else changes, with the spend as it is then.
            String state = Jobs.line(w, backend.store().instances(name), 0);
            if (!state.equals(last)) {
                out.println("status: " + Jobs.line(w, backend.store().instances(name), controller.spent(name)));
                out.flush();
                last = state;
            }
            if (w.status().isTerminal() && backend.store().instances(name).stream().allMatch(r -> r.state().isTerminal())) {
                if (backend.resident()) {
                    // The resident controller logs a pass's events after the pass has stored them (its outbox):
                    // read on until the end shows in its log too, so that the end is printed as it happened.
                    Instant until = Instant.now().plus(LOG_CATCH_UP);
                    step.run();
                    while (!logShowsEnd.getAsBoolean() && Instant.now().isBefore(until)) {
                        Thread.sleep(50);
                        step.run();
                    }
                }
                out.println(name + " " + Jobs.status(w) + "; cost: spotkeeper cost " + name);
                out.flush();
                return w.status() == WorkloadStatus.SUCCEEDED ? 0 : 1;
            }
            if (stopAt != null && !backend.clock().instant().isBefore(stopAt)) {
                out.println("stopped following after " + timeout + "; " + name + " is " + Jobs.status(w));
                out.flush();
                return 0;
            }
            Thread.sleep((long) (interval * 1000));
        }
    }
}
