package dev.spotkeeper.cli.job;

import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.store.WorkloadRecord;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code spotkeeper list}: every workload, one line each. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List workloads: name, status, progress, money spent and the instance doing the work.")
public final class ListCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeploymentOptions deployment;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (JobBackend backend = JobBackends.open(deployment)) {
            List<WorkloadRecord> all = backend.store().workloads();
            if (all.isEmpty()) {
                out.println("no workloads yet; submit one with: spotkeeper run FILE");
            }
            Controller controller = Jobs.controller(backend);
            for (WorkloadRecord w : all) {
                out.println(Jobs.line(w, backend.store().instances(w.name()), controller.spent(w.name())));
            }
            out.flush();
            return 0;
        }
    }
}
