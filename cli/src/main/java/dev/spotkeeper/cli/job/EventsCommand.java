package dev.spotkeeper.cli.job;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.event.EventParser;
import dev.spotkeeper.core.event.ParsedEvent;
import dev.spotkeeper.core.event.SpotEvent;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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
                    + " or not an event spotkeeper handles is refused with the line and the reason, and so is one"
                    + " with placeholders (<instance-id>, the documentation's account 123456789012, an instance id"
                    + " no instance of ours has), an ARN that is malformed or names another region, account or"
                    + " instance, or a time far from now; --force sends it anyway.")
    public static final class Send implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        DeploymentOptions deployment;

        @Parameters(index = "0", paramLabel = "FILE", description = "The event, as EventBridge delivers it (JSON).")
        Path file;

        @Option(names = "--force", description = "Send it even with placeholders, mismatched ARNs or a time far"
                + " from now (each is printed as a warning): to test how the controller handles such an event.")
        boolean force;

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
                List<EventChecks.Problem> problems = EventChecks.problems(text, Json.parseObject(text), event,
                        context(backend));
                List<String> lines = problems.stream().map(p -> (p.line() > 0 ? file + ":" + p.line() : file.toString())
                        + ": " + p.text()).toList();
                if (!problems.isEmpty() && !force) {
                    throw SpotkeeperException.of(ErrorCode.MALFORMED_FILE, file + " is not an event to send yet;"
                            + " nothing was sent:\n  " + String.join("\n  ", lines) + "\nfix the file, or send it"
                            + " anyway with --force to test how the controller handles such an event");
                }
                PrintWriter err = spec.commandLine().getErr();
                lines.forEach(l -> err.println("warning: " + l));
                err.flush();
                backend.queue().send(text);
                PrintWriter out = spec.commandLine().getOut();
                out.println("sent '" + event.detailType() + "' for " + event.instanceId() + " to " + backend.description()
                        + (problems.isEmpty() ? "" : " despite " + problems.size() + " problem"
                        + (problems.size() == 1 ? "" : "s") + " (--force)"));
                out.flush();
                return 0;
            }
        }

        /**
         * The instances spotkeeper has run on this backend (by id, with their region; the live ones first, as
         * those are the ones worth naming), its account and region.
         */
        private static EventChecks.Context context(JobBackend backend) {
            Map<String, String> live = new LinkedHashMap<>();
            Map<String, String> ended = new LinkedHashMap<>();
            for (WorkloadRecord w : backend.store().workloads()) {
                for (InstanceRecord r : backend.store().instances(w.name())) {
                    (r.state().isTerminal() ? ended : live).put(r.instanceId(),
                            r.poolKey().substring(0, r.poolKey().indexOf('/')));
                }
            }
            live.putAll(ended);
            return new EventChecks.Context(live, backend.accountId(), backend.region(), backend.clock().instant());
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
