package dev.spotkeeper.cli;

import dev.spotkeeper.cli.job.CancelCommand;
import dev.spotkeeper.cli.job.ControllerCommand;
import dev.spotkeeper.cli.job.CostCommand;
import dev.spotkeeper.cli.job.DemoCommand;
import dev.spotkeeper.cli.job.DeploymentOptions;
import dev.spotkeeper.cli.job.EventsCommand;
import dev.spotkeeper.cli.job.JobBackends;
import dev.spotkeeper.cli.job.ListCommand;
import dev.spotkeeper.cli.job.LogsCommand;
import dev.spotkeeper.cli.job.RunCommand;
import dev.spotkeeper.cli.job.StatusCommand;
import dev.spotkeeper.cli.local.LocalCommand;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spotkeeper} command. */
@Command(name = "spotkeeper",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Runs work on EC2 Spot at the lowest cost that still meets its deadline.",
        subcommands = {AdviseCommand.class, SignalsCommand.class, ReplayCommand.class, EmulatorCommand.class,
                AgentCommand.class, BenchCommand.class, RunCommand.class, StatusCommand.class, ListCommand.class,
                LogsCommand.class, CancelCommand.class, CostCommand.class, EventsCommand.class, DemoCommand.class,
                ControllerCommand.class, LocalCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: tests call {@code execute()} on it with their own writers. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionStrategy(Main::execute);
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setExitCodeExceptionMapper(Main::exitCode);
        return cl;
    }

    /** A job command first says when it acts on another target than the last one ({@link JobBackends#beforeRun}). */
    private static int execute(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult last = parsed;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        CommandLine.Model.CommandSpec command = last.commandSpec();
        CommandLine.Model.CommandSpec mixin = command.mixins().get("deployment");
        boolean help = last.isUsageHelpRequested() || last.isVersionHelpRequested();
        if (mixin != null && mixin.userObject() instanceof DeploymentOptions options && !help) {
            CommandLine cl = command.commandLine();
            try {
                JobBackends.beforeRun(options, cl.getErr());
            } catch (SpotkeeperException e) {
                throw new CommandLine.ExecutionException(cl, e.getMessage(), e);
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        if (e instanceof SpotkeeperException se) {
            err.println("error: " + se.getMessage());
        } else {
            err.println("error: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + " (this is a spotkeeper defect; please report it with the command you ran)");
        }
        err.flush();
        return exitCode(e);
    }

    /**
     * USER 2, CAPACITY 3, TRANSIENT 4, INTERNAL 1 — scripts can tell "fix your input" from "try later". A wrong
     * option or argument is the user's input too.
     */
    static int exitCode(Throwable e) {
        if (e instanceof CommandLine.ParameterException) {
            return 2;
        }
        if (e instanceof SpotkeeperException se) {
            return switch (se.code().type()) {
                case USER -> 2;
                case CAPACITY -> 3;
                case TRANSIENT -> 4;
                case INTERNAL -> 1;
            };
        }
        return 1;
    }
}
