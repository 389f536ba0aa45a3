package dev.spotkeeper.cli.job;

import dev.spotkeeper.cli.Table;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.store.WorkloadRecord;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
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
            Table table = new Table(List.of("name", "status", "progress", "spent", "instance"));
            for (WorkloadRecord w : all) {
                table.add(List.of(w.name(), Jobs.status(w), String.format(Locale.ROOT, "%.1f %%", w.progress() * 100),
                        Jobs.dollars(controller.spent(w.name())), Jobs.current(backend.store().instances(w.name()))));
            }
            if (!all.isEmpty()) {
                table.print(out);
            }
            out.flush();
            return 0;
        }
    }
}
