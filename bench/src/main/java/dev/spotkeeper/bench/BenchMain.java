package dev.spotkeeper.bench;

import dev.spotkeeper.cli.Main;
import dev.spotkeeper.cli.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code spotkeeper bench ...}: the benchmarks, in a jar of their own so that their S3 server (S3Proxy), FIS client
 * and rigs stay off the CLI's production class path. The {@code spotkeeper} script runs this jar when the first
 * argument is {@code bench}; errors and exit codes are the CLI's ({@link Main#configure}).
 */
@Command(name = "spotkeeper", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "spotkeeper's benchmarks: spotkeeper bench placement | evacuation | recovery.")
public final class BenchMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with {@code bench} and its subcommands. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new BenchMain());
        cl.addSubcommand("bench", BenchCommand.class);
        return Main.configure(cl);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
