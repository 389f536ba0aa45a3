package dev.spotkeeper.agent.app;

import dev.spotkeeper.core.SpotkeeperException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The agent's own application ({@code java -jar spotkeeper-agent.jar agent …}): what an instance downloads and
 * runs, with only the agent in it (no emulator, no embedded servers, no control plane). It takes the same
 * {@code agent} command and options as {@code spotkeeper agent}, so user data reads the same with either jar.
 */
@Command(name = "spotkeeper-agent", mixinStandardHelpOptions = true,
        versionProvider = AgentApp.Version.class,
        description = "The spotkeeper agent, started on an instance by its user data: spotkeeper-agent agent --help.")
public final class AgentApp implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its one subcommand; errors are one {@code error:} line and an exit code by type. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new AgentApp());
        cl.addSubcommand("agent", AgentCommand.class);
        cl.setExecutionExceptionHandler(AgentApp::handle);
        cl.setExitCodeExceptionMapper(AgentApp::exitCode);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        err.println(e instanceof SpotkeeperException ? "error: " + e.getMessage() : "error: unexpected "
                + e.getClass().getSimpleName() + ": " + e.getMessage() + " (a spotkeeper defect; please report it)");
        err.flush();
        return exitCode(e);
    }

    /** As the CLI: USER 2, CAPACITY 3, TRANSIENT 4, INTERNAL 1; a wrong option is the user's input too. */
    static int exitCode(Throwable e) {
        if (e instanceof CommandLine.ParameterException) {
            return 2;
        }
        return e instanceof SpotkeeperException se ? se.code().type().exitCode() : 1;
    }

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AgentApp.class.getPackage().getImplementationVersion();
            return new String[] {"spotkeeper-agent " + (v == null ? "development" : v)};
        }
    }
}
