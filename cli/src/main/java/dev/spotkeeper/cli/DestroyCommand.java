package dev.spotkeeper.cli;

import dev.spotkeeper.aws.StackDeployment;
import dev.spotkeeper.deploy.PlaneApp;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spotkeeper destroy}: deletes the serverless control plane's stack; the buckets and the table it keeps are
 * deleted when empty, and with their data only with {@code --delete-data}.
 */
@Command(name = "destroy", mixinStandardHelpOptions = true,
        description = "Delete the serverless control plane's stack (buckets and table with data kept unless"
                + " --delete-data).")
public final class DestroyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--delete-data", description = "Also delete the buckets and the state table that hold data.")
    boolean deleteData;

    @CommandLine.Mixin
    StackTarget target = new StackTarget();

    /** The environment with the credentials (tests give their own). */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        try (StackDeployment deployment = new StackDeployment(target.settings(environment),
                target.region(environment), StackTarget.LOCAL_ACCOUNT, Clock.systemUTC())) {
            StackDeployment.Destroyed d = deployment.destroy(PlaneApp.STACK_NAME, deleteData, line -> {
                w.println(line);
                w.flush();
            });
            w.println("stack " + PlaneApp.STACK_NAME + ": destroyed" + (d.kept().isEmpty() ? ""
                    : "; kept because they hold data: " + String.join(", ", d.kept())));
            w.flush();
            return 0;
        }
    }
}
