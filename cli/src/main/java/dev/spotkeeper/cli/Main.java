package dev.spotkeeper.cli;

import dev.spotkeeper.agent.app.AgentCommand;
import dev.spotkeeper.cli.job.CancelCommand;
import dev.spotkeeper.cli.job.ChaosCommand;
import dev.spotkeeper.cli.job.ControllerCommand;
import dev.spotkeeper.cli.job.CostCommand;
import dev.spotkeeper.cli.job.DemoCommand;
import dev.spotkeeper.cli.job.DeploymentOptions;
import dev.spotkeeper.cli.job.EndpointCommand;
import dev.spotkeeper.cli.job.EventsCommand;
import dev.spotkeeper.cli.job.JobBackends;
import dev.spotkeeper.cli.job.ListCommand;
import dev.spotkeeper.cli.job.LogsCommand;
import dev.spotkeeper.cli.job.NotifyCommand;
import dev.spotkeeper.cli.job.RunCommand;
import dev.spotkeeper.cli.job.StatusCommand;
import dev.spotkeeper.cli.local.LocalCommand;
import dev.spotkeeper.cli.local.PlaneControl;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code spotkeeper} command. Its subcommands are added by name: a command line builds the model of the one
 * subcommand it runs (picocli reads every option of every command it is given, which costs a short command most of
 * its time), and all of them only for help, a mistyped name or none.
 */
@Command(name = "spotkeeper",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Runs work on EC2 Spot at the lowest cost that still meets its deadline.")
public final class Main implements Runnable, PlaneControl.Runner {
    private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("advise", AdviseCommand.class);
        m.put("signals", SignalsCommand.class);
        m.put("replay", ReplayCommand.class);
        m.put("emulator", EmulatorCommand.class);
        m.put("agent", AgentCommand.class);
        m.put("run", RunCommand.class);
        m.put("status", StatusCommand.class);
        m.put("list", ListCommand.class);
        m.put("logs", LogsCommand.class);
        m.put("endpoint", EndpointCommand.class);
        m.put("cancel", CancelCommand.class);
        m.put("cost", CostCommand.class);
        m.put("events", EventsCommand.class);
        m.put("chaos", ChaosCommand.class);
        m.put("demo", DemoCommand.class);
        m.put("controller", ControllerCommand.class);
        m.put("local", LocalCommand.class);
        m.put("deploy", DeployCommand.class);
        m.put("destroy", DestroyCommand.class);
        m.put("notify", NotifyCommand.class);
        return m;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line run inside the local control plane for another process ({@link PlaneControl}). */
    @Override
    public int run(List<String> args, PrintWriter out, PrintWriter err) {
        return commandLine(args.isEmpty() ? null : args.get(0)).setOut(out).setErr(err)
                .execute(args.toArray(String[]::new));
    }

    public static void main(String[] args) {
        // A command the local control plane runs for others goes there before picocli reads any command: its
        // reflection alone costs a short command more than everything else together. The plane parses it.
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        Optional<Integer> sent;
        try {
            sent = JobBackends.sendToPlane(List.of(args), out, err);
        } catch (SpotkeeperException e) {
            System.exit(handle(e, commandLine(), null));
            return;
        }
        System.exit(sent.isPresent() ? sent.get() : commandLine(args.length == 0 ? null : args[0]).execute(args));
    }

    /** The configured command line with every subcommand: tests call {@code execute()} on it with their own writers. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /** The command line for running {@code first}: that subcommand alone when it is one, else all of them. */
    public static CommandLine commandLine(String first) {
        CommandLine cl = new CommandLine(new Main());
        Class<?> only = first == null ? null : SUBCOMMANDS.get(first);
        if (only != null) {
            cl.addSubcommand(first, only);
        } else {
            SUBCOMMANDS.forEach(cl::addSubcommand);
            cl.addSubcommand("help", CommandLine.HelpCommand.class);
        }
        cl.setExecutionStrategy(Main::execute);
        return configure(cl);
    }

    /**
     * What every spotkeeper command line shares (this one and the {@code bench} module's): the one duration
     * grammar for every {@link Duration} option, {@code error: ...} instead of a stack trace, and the exit codes.
     * Call it after adding the subcommands: picocli gives a converter only to the subcommands already added.
     */
    public static CommandLine configure(CommandLine cl) {
        cl.registerConverter(Duration.class, new DurationConverter());
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setExitCodeExceptionMapper(Main::exitCode);
        return cl;
    }

    /**
     * A job command first notes a change of target, and one the local control plane runs for others is sent there
     * ({@link JobBackends#beforeRun}); everything else runs here, as picocli runs it.
     */
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
                Optional<Integer> remote = JobBackends.beforeRun(command.name(), options, parsed.originalArgs(),
                        cl.getOut(), cl.getErr());
                if (remote.isPresent()) {
                    return remote.get();
                }
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
        return e instanceof SpotkeeperException se ? se.code().type().exitCode() : 1;
    }
}
