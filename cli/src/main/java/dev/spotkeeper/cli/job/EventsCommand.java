package dev.spotkeeper.cli.job;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.event.EventParser;
import dev.spotkeeper.core.event.ParsedEvent;
import dev.spotkeeper.core.event.SpotEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code spotkeeper events}: the event queue the controller listens on. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Work with the event queue the controller listens on.",
        subcommands = EventsCommand.Send.class)
public final class EventsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code spotkeeper events send FILE}: puts a hand-written event on the queue, after checking it. */
    @Command(name = "send", mixinStandardHelpOptions = true,
            description = "Put a hand-written EventBridge event (an interruption warning, a state change, an agent"
                    + " report) on the event queue, to test how a workload handles it. A file that is not valid JSON"
                    + " or not an event spotkeeper handles is refused with the line and the reason.")
    public static final class Send implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        DeploymentOptions deployment;

        @Parameters(index = "0", paramLabel = "FILE", description = "The event, as EventBridge delivers it (JSON).")
        Path file;

        @Override
        public Integer call() {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw SpotkeeperException.invalidArgument("cannot read event file " + file + ": " + e.getMessage());
            }
            SpotEvent event = check(file.toString(), text);
            try (JobBackend backend = JobBackends.open(deployment)) {
                backend.queue().send(text);
                PrintWriter out = spec.commandLine().getOut();
                out.println("sent '" + event.detailType() + "' for " + event.instanceId() + " to " + backend.description());
                out.flush();
                return 0;
            }
        }

        static SpotEvent check(String name, String text) {
            ParsedEvent parsed = EventParser.parse(text);
            if (parsed instanceof ParsedEvent.Malformed bad) {
                throw SpotkeeperException.of(ErrorCode.MALFORMED_FILE, bad.describe(name)
                        + "; fix the file and send it again (nothing was sent)");
            }
            if (parsed instanceof ParsedEvent.Ignored why) {
                throw SpotkeeperException.of(ErrorCode.MALFORMED_FILE, name + ": " + why.reason()
                        + "; the controller would drop it (nothing was sent)");
            }
            return ((ParsedEvent.Event) parsed).event();
        }
    }
}
