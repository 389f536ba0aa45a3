package dev.spotkeeper.cli.job;

import dev.spotkeeper.core.store.InstanceRecord;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spotkeeper logs NAME}: the console output (agent and job) of the workload's instances. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print the console output (the agent's and the job's log) of a workload's instances, oldest first.")
public final class LogsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeploymentOptions deployment;

    @Parameters(index = "0", paramLabel = "NAME", description = "Workload name.")
    String name;

    @Option(names = "--current", description = "Only the instance doing the work now.")
    boolean current;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (JobBackend backend = JobBackends.open(deployment)) {
            Jobs.workload(backend, name);
            List<InstanceRecord> instances = backend.store().instances(name);
            if (current) {
                instances = instances.stream().filter(r -> !r.state().isTerminal() && r.replacedBy().isEmpty()).toList();
            }
            if (instances.isEmpty()) {
                out.println("no instance has run " + name + " yet");
            }
            for (InstanceRecord r : instances) {
                String region = r.poolKey().substring(0, r.poolKey().indexOf('/'));
                out.println("==> " + r.instanceId() + " (" + r.poolKey() + ") <==");
                String text = backend.compute().consoleOutput(region, r.instanceId());
                out.print(text.isEmpty() ? "(no output yet)\n" : text.endsWith("\n") ? text : text + "\n");
            }
            out.flush();
            return 0;
        }
    }
}
