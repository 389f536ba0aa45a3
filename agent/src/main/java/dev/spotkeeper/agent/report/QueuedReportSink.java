package dev.spotkeeper.agent.report;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends reports in order on a thread of its own, so the agent never waits for the queue. On a cold JVM, building
 * the SQS client and the first send take seconds; done inline they would delay the restore, which is what recovery
 * time is measured by. The target sink is built on the sending thread, at the first report. {@link #close()} waits
 * (bounded) until every queued report is sent, so the last report ("exited", "evacuated") is not lost at exit. A
 * report that cannot be sent is logged and dropped, as the job must not stop because the queue is unreachable.
 */
public final class QueuedReportSink implements ReportSink, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(QueuedReportSink.class.getName());

    private final Supplier<? extends ReportSink> target;
    private final Duration drainTimeout;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "spotkeeper-reports");
        t.setDaemon(true);
        return t;
    });
    /** Touched by the sending thread only. */
    private ReportSink sink;

    public QueuedReportSink(Supplier<? extends ReportSink> target, Duration drainTimeout) {
        this.target = requireNonNull(target, "target is null");
        this.drainTimeout = requireNonNull(drainTimeout, "drainTimeout is null");
    }

    @Override
    public void send(String envelope) {
        try {
            sender.execute(() -> deliver(envelope));
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "report dropped: the agent is shutting down");
        }
    }

    private void deliver(String envelope) {
        try {
            if (sink == null) {
                sink = target.get();
            }
            sink.send(envelope);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "report not sent: {0}", e.getMessage());
        }
    }

    /** Sends what is queued (for at most the drain timeout), then closes the target if it holds resources. */
    @Override
    public void close() {
        sender.execute(() -> {
            if (sink instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.log(Level.FINE, "closing the report sink", e);
                }
            }
        });
        sender.shutdown();
        try {
            if (!sender.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(Level.WARNING, "reports still unsent after {0}; dropped", drainTimeout);
                sender.shutdownNow();
            }
        } catch (InterruptedException e) {
            sender.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
