package dev.spotkeeper.emulator.services.events;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivery that is tried again when it fails, as EventBridge does for a target it could not reach (Amazon
 * EventBridge User Guide, "Event retry policy and using dead-letter queues": exponential back-off with jitter, by
 * default up to 185 attempts within 24 hours). The first attempt runs at once on the caller's thread, so events
 * keep their order while nothing fails; a failed one is tried again on a thread of its own after a delay that
 * starts at {@code first} and doubles up to {@code longest}, drawn at random from its upper half. A queue that is
 * slow to answer for a moment (a busy machine) therefore delays an interruption warning instead of losing it.
 */
final class Redelivery implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Redelivery.class.getName());

    /** What one delivery does; it fails by throwing. */
    interface Attempt {
        void run();
    }

    private final Duration first;
    private final Duration longest;
    private final int attempts;
    private final ScheduledExecutorService retries;
    private final AtomicLong pending = new AtomicLong();

    Redelivery(Duration first, Duration longest, int attempts) {
        this.first = requireNonNull(first, "first is null");
        this.longest = requireNonNull(longest, "longest is null");
        if (attempts < 1) {
            throw new IllegalArgumentException("at least one attempt, got " + attempts);
        }
        this.attempts = attempts;
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eventbridge-retries");
            t.setDaemon(true);
            return t;
        });
    }

    /** EventBridge's defaults: 185 attempts; here 1 s doubling to at most a minute between them. */
    static Redelivery eventBridgeDefaults() {
        return new Redelivery(Duration.ofSeconds(1), Duration.ofMinutes(1), 185);
    }

    /** Runs {@code attempt} now and, while it fails, again later; {@code what} names it in the log. */
    void deliver(String what, Attempt attempt) {
        if (!tryOnce(what, attempt, 1)) {
            pending.incrementAndGet();
            schedule(what, attempt, 2);
        }
    }

    /** Deliveries that failed and wait for a further attempt. */
    long pending() {
        return pending.get();
    }

    private boolean tryOnce(String what, Attempt attempt, int n) {
        try {
            attempt.run();
            if (n > 1) {
                LOG.log(System.Logger.Level.INFO, "delivered " + what + " at attempt " + n);
            }
            return true;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not deliver " + what + " (attempt " + n + " of " + attempts
                    + "): " + e.getMessage());
            return false;
        }
    }

    private void schedule(String what, Attempt attempt, int n) {
        if (n > attempts) {
            pending.decrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "gave up delivering " + what + " after " + attempts + " attempts");
            return;
        }
        long ceiling = Math.min(longest.toMillis(), first.toMillis() << Math.min(n - 2, 20));
        long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        try {
            retries.schedule(() -> {
                if (tryOnce(what, attempt, n)) {
                    pending.decrementAndGet();
                } else {
                    schedule(what, attempt, n + 1);
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            pending.decrementAndGet();
        }
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }
}
