package dev.spotkeeper.cli.job;

import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code spotkeeper cancel NAME}: terminates the workload's instances and keeps its checkpoints. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a workload: its instances are terminated, its checkpoints are kept.")
public final class CancelCommand implements Callable<Integer> {
    private static final Duration WAIT_STEP = Duration.ofMillis(50);
    private static final int WAIT_STEPS = 600;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeploymentOptions deployment;

    @Parameters(index = "0", paramLabel = "NAME", description = "Workload name.")
    String name;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try (JobBackend backend = JobBackends.open(deployment)) {
            WorkloadRecord w = Jobs.workload(backend, name);
            Controller controller = Jobs.controller(backend);
            // Those this cancel ends: instances that had ended before are not its doing.
            Set<String> running = backend.store().instances(name).stream().filter(r -> !r.state().isTerminal())
                    .map(InstanceRecord::instanceId).collect(Collectors.toSet());
            if (!controller.cancel(name)) {
                out.println(name + " is already " + Jobs.status(w) + "; nothing to cancel");
                out.flush();
                return 0;
            }
            if (backend.resident()) {
                backend.reconcileSoon(name);
                awaitTermination(backend);
            } else {
                controller.runOnce();
            }
            List<InstanceRecord> after = backend.store().instances(name);
            long live = after.stream().filter(r -> !r.state().isTerminal()).count();
            long ended = after.stream().filter(r -> running.contains(r.instanceId()) && r.state().isTerminal()).count();
            out.println("cancelled " + name + "; " + ended + " instance(s) terminated" + (live > 0 ? ", " + live
                    + " still stopping" + (backend.resident() ? " (the resident controller terminates them)" : "") : "") + "; checkpoints kept"
                    + (w.lastCheckpoint().isEmpty() ? "" : " (last: " + w.lastCheckpoint() + ")"));
            out.flush();
            return 0;
        }
    }

    /**
     * A resident controller terminates the instances on its next pass; wait for that rather than running a pass
     * here (two controllers would split the queue's events). Bounded: the job is cancelled either way.
     */
    private void awaitTermination(JobBackend backend) throws InterruptedException {
        for (int i = 0; i < WAIT_STEPS; i++) {
            if (backend.store().instances(name).stream().allMatch(r -> r.state().isTerminal())) {
                return;
            }
            Thread.sleep(WAIT_STEP.toMillis());
        }
    }
}
