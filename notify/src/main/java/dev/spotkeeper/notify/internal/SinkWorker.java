package dev.spotkeeper.notify.internal;

import dev.spotkeeper.notify.Delivery;
import dev.spotkeeper.notify.Message;
import dev.spotkeeper.notify.Notifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * One sink's queue and thread: sends its messages in order, retrying a failed one with exponential backoff, so a
 * refusing or hanging receiver holds up only itself. After {@code failingAfter} failed attempts in a row it reports
 * the sink failing, once, and once again when a message gets through. A message still failing after
 * {@code giveUpAfter}, one the receiver refuses for good, or the oldest of a full queue is given up (and said).
 */
public final class SinkWorker {
    private static final System.Logger LOG = System.getLogger("dev.spotkeeper.notify");

    /** What to do with a message that was sent or given up: its event may now count as delivered. */
    public interface Done {
        void done(long sequence);
    }

    /** Retry and reporting settings. */
    public record Policy(Duration backoffBase, Duration backoffMax, int failingAfter, Duration giveUpAfter,
                         int queueLimit) {
    }

    private record Pending(long sequence, Message message) {
    }

    private final String name;
    private volatile Notifier notifier;
    private final Policy policy;
    private final Clock clock;
    private final Consumer<String> reports;
    private final Done done;
    private final Deque<Pending> queue = new ArrayDeque<>();
    private final Thread thread;
    private volatile boolean closed;
    private int failures;
    private boolean reportedFailing;

    public SinkWorker(String workload, Notifier notifier, Policy policy, Clock clock, Consumer<String> reports,
                      Done done) {
        this.name = notifier.describe() + " of workload " + workload;
        this.notifier = notifier;
        this.policy = policy;
        this.clock = clock;
        this.reports = reports;
        this.done = done;
        this.thread = new Thread(this::run, "spotkeeper-notify-" + notifier.describe());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The notifier of a spec submitted again (same sink): later messages go through it. */
    public void replace(Notifier n) {
        this.notifier = n;
    }

    public void offer(long sequence, Message m) {
        Pending dropped = null;
        synchronized (this) {
            if (queue.size() >= policy.queueLimit()) {
                dropped = queue.pollFirst();
            }
            queue.addLast(new Pending(sequence, m));
            notifyAll();
        }
        if (dropped != null) {
            LOG.log(System.Logger.Level.WARNING, "notify: " + name + " is behind by " + policy.queueLimit()
                    + " messages; message " + dropped.message().id() + " is given up");
            done.done(dropped.sequence());
        }
    }

    public synchronized int queued() {
        return queue.size();
    }

    public void close() {
        closed = true;
        thread.interrupt();
    }

    private void run() {
        while (!closed) {
            Pending p;
            synchronized (this) {
                while (queue.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                p = queue.peekFirst();
            }
            deliver(p);
            synchronized (this) {
                if (queue.peekFirst() == p) {
                    queue.pollFirst();
                }
            }
            done.done(p.sequence());
        }
    }

    /** Sends until it is delivered, refused for good, or too old; waits out the backoff between attempts. */
    private void deliver(Pending p) {
        Instant first = clock.instant();
        while (!closed) {
            Delivery d;
            try {
                d = notifier.send(p.message());
            } catch (RuntimeException e) {
                d = Delivery.retry(e.getClass().getSimpleName());
            }
            if (d.delivered()) {
                if (reportedFailing) {
                    report("notify: " + name + " works again (" + d.detail() + ") after " + failures
                            + " failed attempts");
                }
                failures = 0;
                reportedFailing = false;
                return;
            }
            failures++;
            if (failures >= policy.failingAfter() && !reportedFailing) {
                reportedFailing = true;
                report("notify: " + name + " keeps failing (" + d.detail() + "); messages are retried with backoff,"
                        + " and this is said again when it works");
            }
            if (!d.retryable()) {
                LOG.log(System.Logger.Level.INFO, "notify: " + name + " refused message " + p.message().id() + " ("
                        + d.detail() + "); it is not sent again");
                return;
            }
            if (!clock.instant().isBefore(first.plus(policy.giveUpAfter()))) {
                LOG.log(System.Logger.Level.WARNING, "notify: " + name + " still fails after " + policy.giveUpAfter()
                        + "; message " + p.message().id() + " is given up");
                return;
            }
            try {
                Thread.sleep(backoff(failures).toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** {@code base × 2^(n-1)}, at most {@code max}. */
    public Duration backoff(int attempt) {
        long base = policy.backoffBase().toMillis();
        long max = policy.backoffMax().toMillis();
        int shift = Math.min(30, Math.max(0, attempt - 1));
        return Duration.ofMillis(Math.min(max, base << shift));
    }

    private void report(String line) {
        LOG.log(System.Logger.Level.WARNING, line);
        reports.accept(line);
    }
}
