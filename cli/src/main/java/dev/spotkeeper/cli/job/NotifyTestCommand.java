package dev.spotkeeper.cli.job;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.workload.NotifySpec;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.core.workload.WorkloadSpecJson;
import dev.spotkeeper.notify.Delivery;
import dev.spotkeeper.notify.Message;
import dev.spotkeeper.notify.NotificationSender;
import dev.spotkeeper.notify.Notifier;
import dev.spotkeeper.notify.NotifierContext;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spotkeeper notify test NAME}: sends one test message to each sink of a workload (submitted, or in a
 * workload file with {@code --file}) and says what each answered. Exit 0 when every sink took it.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Send one test message to each notification sink of a workload and show what each answered.")
public final class NotifyTestCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeploymentOptions deployment;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A submitted workload's name.")
    String name;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "A workload file instead of a submitted workload (SNS sinks need a submitted one).")
    Path file;

    /** The environment {@code env:} references read; a test replaces it. */
    Function<String, String> environment = System::getenv;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if ((name == null) == (file == null)) {
            throw SpotkeeperException.invalidArgument("name a submitted workload or give --file FILE, one of them");
        }
        if (file != null) {
            WorkloadSpec w = YamlSpecs.parse(file.toString(), YamlSpecs.text(file));
            NotifierContext ctx = new NotifierContext(NotifierContext.httpClient(), environment,
                    Optional.empty(), Optional.empty(), Duration.ofSeconds(10),
                    slackApi());
            return send(w, ctx, out);
        }
        try (JobBackend backend = JobBackends.open(deployment)) {
            WorkloadSpec w = WorkloadSpecJson.read("workload " + name, Jobs.workload(backend, name).specText());
            return send(w, Notifications.context(backend, environment), out);
        }
    }

    private URI slackApi() {
        String api = environment.apply(Notifications.SLACK_API_ENV);
        return api == null || api.isBlank() ? NotifierContext.SLACK_API : URI.create(api);
    }

    private static int send(WorkloadSpec w, NotifierContext ctx, PrintWriter out) {
        NotifySpec n = w.notifications();
        if (n.isEmpty()) {
            throw SpotkeeperException.invalidArgument("workload '" + w.name() + "' names no notification sink: add"
                    + " notify: {slack: {webhookUrl: env:SLACK_WEBHOOK_URL}} (or sns, webhook) to its file");
        }
        List<Notifier> notifiers = NotificationSender.notifiers(n, ctx, NotificationSender.installed());
        Message m = NotificationSender.testMessage(w.name(), n.language(), Clock.systemUTC().instant());
        int failed = 0;
        boolean retryable = false;
        for (Notifier notifier : notifiers) {
            Delivery d;
            try {
                d = notifier.send(m);
            } catch (RuntimeException e) {
                d = Delivery.retry(e.getClass().getSimpleName());
            }
            out.println(notifier.describe() + ": " + (d.delivered() ? "delivered" : d.retryable()
                    ? "failed, may work later" : "refused") + " (" + d.detail() + ")");
            if (!d.delivered()) {
                failed++;
                retryable |= d.retryable();
            }
        }
        out.println(failed == 0 ? "every sink took the test message (id " + m.id() + ")"
                : failed + " of " + notifiers.size() + " sink(s) did not take it");
        out.flush();
        // As the error types' exit codes: 4 when a later try may work (TRANSIENT), 2 when the sink refused (USER).
        return failed == 0 ? 0 : retryable ? 4 : 2;
    }
}
