package dev.spotkeeper.cli.job;

import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code spotkeeper cancel NAME}: terminates the workload's instances and keeps its checkpoints. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a workload: its instances are terminated, its checkpoints are kept.")
public final class CancelCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeploymentOptions deployment;

    @Parameters(index = "0", paramLabel = "NAME", description = "Workload name.")
    String name;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (JobBackend backend = JobBackends.open(deployment)) {
            WorkloadRecord w = Jobs.workload(backend, name);
            Controller controller = Jobs.controller(backend);
            if (!controller.cancel(name)) {
                out.println(name + " is already " + Jobs.status(w) + "; nothing to cancel");
                out.flush();
                return 0;
            }
            controller.runOnce();
            long live = backend.store().instances(name).stream().filter(r -> !r.state().isTerminal()).count();
            long ended = backend.store().instances(name).stream().map(InstanceRecord::state)
                    .filter(s -> s.isTerminal()).count();
            out.println("cancelled " + name + "; " + ended + " instance(s) terminated" + (live > 0 ? ", " + live
                    + " still stopping" : "") + "; checkpoints kept"
                    + (w.lastCheckpoint().isEmpty() ? "" : " (last: " + w.lastCheckpoint() + ")"));
            out.flush();
            return 0;
        }
    }
}
