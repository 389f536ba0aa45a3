package dev.spotkeeper.lambda;

import static java.util.Objects.requireNonNull;

import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.plane.Plane;
import java.util.function.Consumer;

/**
 * The controller a function runs, over the plane its environment describes ({@link Plane#fromEnvironment}): opened
 * once per execution environment (before SnapStart's snapshot, when the handler class loads) and kept for every
 * invocation it serves. Nothing a later invocation needs is kept here: the state is in the table.
 */
public final class Functions implements AutoCloseable {
    private static Functions shared;

    private final Plane plane;
    private final Controller controller;
    private final Consumer<String> log;

    /** @param log where the controller's events and the handlers' summaries go (the function's log) */
    public Functions(Plane plane, Consumer<String> log) {
        this.plane = requireNonNull(plane, "plane is null");
        this.log = requireNonNull(log, "log is null");
        this.controller = plane.controller();
        controller.addListener(e -> log.accept(line(e)));
    }

    /** The execution environment's functions, from its environment variables, logging to Lambda's log. */
    static synchronized Functions shared() {
        if (shared == null) {
            Consumer<String> log = LambdaRuntime.getLogger()::log;
            shared = new Functions(Plane.fromEnvironment(environment(Functions.class.getClassLoader()),
                    w -> log.accept("warning: " + w)), log);
        }
        return shared;
    }

    /**
     * The function's environment variables: {@code System.getenv()} on Lambda; where functions share one JVM (the
     * emulator's Lambda runtime), the function's class loader supplies them as a {@code Supplier<Map<String, String>>}.
     */
    @SuppressWarnings("unchecked")
    static java.util.Map<String, String> environment(ClassLoader loader) {
        if (loader instanceof java.util.function.Supplier<?> supplier && supplier.get() instanceof java.util.Map<?, ?> m) {
            return (java.util.Map<String, String>) m;
        }
        return System.getenv();
    }

    Controller controller() {
        return controller;
    }

    void log(String line) {
        log.accept(line);
    }

    /** {@code <time> <kind> <workload>[/<instance>]: <message>}, one line per event. */
    static String line(ControllerEvent e) {
        String subject = e.workload() + (e.instanceId().isEmpty() ? "" : "/" + e.instanceId());
        return e.time() + " " + e.kind().name().toLowerCase(java.util.Locale.ROOT) + " "
                + (subject.isEmpty() || subject.equals("/") ? "-" : subject) + ": " + e.message();
    }

    @Override
    public void close() {
        controller.close();
        plane.close();
    }
}
