package dev.spotkeeper.agent;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.SpotkeeperException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one "commit the state by deadline D" path. The interruption notice, the controller's tag and anything else
 * converge here; the first request starts the evacuation, later ones are no-ops (a request with an earlier deadline
 * is logged: the upload in progress is already as fast as it can be).
 */
final class Evacuation {
    private static final Logger LOG = Logger.getLogger(Evacuation.class.getName());

    private final Consumer<Instant> action;
    private final Clock clock;
    private final ExecutorService executor;
    private CompletableFuture<Void> running;
    private Instant deadline;

    Evacuation(Consumer<Instant> action, Clock clock, ExecutorService executor) {
        this.action = requireNonNull(action, "action is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.executor = requireNonNull(executor, "executor is null");
    }

    synchronized void request(Instant by, String cause) {
        if (running != null) {
            if (by.isBefore(deadline)) {
                LOG.log(Level.WARNING, "{0} moved the deadline to {1}, the evacuation under way targets {2}",
                        new Object[] {cause, by, deadline});
            }
            return;
        }
        deadline = by;
        LOG.log(Level.INFO, "evacuating by {0} ({1}, {2} s left)",
                new Object[] {by, cause, java.time.Duration.between(clock.instant(), by).toSeconds()});
        running = CompletableFuture.runAsync(() -> action.accept(by), executor).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.log(Level.SEVERE, "evacuation failed: {0}", failure.getCause() instanceof SpotkeeperException se
                        ? se.getMessage() : String.valueOf(failure));
            }
        });
    }

    synchronized boolean started() {
        return running != null;
    }

    void awaitDone() {
        CompletableFuture<Void> r;
        synchronized (this) {
            r = running;
        }
        if (r != null) {
            try {
                r.join();
            } catch (RuntimeException e) {
                // logged by whenComplete
            }
        }
    }
}
