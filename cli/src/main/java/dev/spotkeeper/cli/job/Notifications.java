package dev.spotkeeper.cli.job;

import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.notify.NotificationSender;
import dev.spotkeeper.notify.NotifierContext;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * The notification sender beside a controller that runs passes in this process: it reads the store's outbox on
 * its own thread (the controller's listener only wakes it) and says a failing sink once on standard error.
 */
final class Notifications implements AutoCloseable {
    /** Where Slack's Web API is; only a test points it elsewhere. */
    static final String SLACK_API_ENV = "SPOTKEEPER_SLACK_API_URL";
    /** How long a command that ends with its workload waits for the last messages. */
    static final Duration FLUSH = Duration.ofSeconds(15);

    private final NotificationSender sender;

    private Notifications(NotificationSender sender) {
        this.sender = sender;
    }

    static NotifierContext context(JobBackend backend, Function<String, String> env) {
        String api = env.apply(SLACK_API_ENV);
        return new NotifierContext(NotifierContext.httpClient(), env, backend.secrets(), backend.topics(),
                Duration.ofSeconds(10), api == null || api.isBlank() ? NotifierContext.SLACK_API : URI.create(api));
    }

    static Notifications start(JobBackend backend, Controller controller, PrintWriter err) {
        return start(backend, controller, err, System::getenv);
    }

    static Notifications start(JobBackend backend, Controller controller, PrintWriter err,
                               Function<String, String> env) {
        NotificationSender sender = new NotificationSender(backend.store(), context(backend, env),
                NotificationSender.Settings.defaults(), Clock.systemUTC(), line -> {
                    err.println("warning: " + line);
                    err.flush();
                });
        sender.start();
        controller.addListener(e -> sender.wake());
        return new Notifications(sender);
    }

    /** Sends what is left before the command ends, for at most {@link #FLUSH}. */
    void flush() {
        sender.flush(FLUSH);
    }

    @Override
    public void close() {
        sender.close();
    }

}
