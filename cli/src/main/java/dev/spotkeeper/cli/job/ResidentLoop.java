package dev.spotkeeper.cli.job;

import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.controller.ControllerEvent;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs controller passes on the calling thread until Ctrl-C, SIGTERM or an interrupt. On a signal the JVM runs
 * its shutdown hooks and then halts; the hook here tells the loop to stop after the pass under way (interrupting
 * it would fail that pass's calls half-way) and waits for the caller's clean-up ({@link #close()}), so a stop by
 * signal still closes what the command opened.
 */
final class ResidentLoop implements AutoCloseable {
    private static final Duration CLEAN_UP = Duration.ofSeconds(60);

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch cleanedUp = new CountDownLatch(1);
    private final Object pause = new Object();
    private boolean woken;
    private final Thread hook;

    ResidentLoop() {
        hook = new Thread(() -> {
            stop.countDown();
            wake();
            try {
                cleanedUp.await(CLEAN_UP.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "spotkeeper-resident-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Passes every {@code interval} until stopped; a failed pass is noted and the next one retries. */
    void run(Controller controller, Duration interval, PrintWriter out) {
        while (stop.getCount() > 0 && !Thread.currentThread().isInterrupted()) {
            try {
                controller.runOnce();
            } catch (RuntimeException e) {
                out.println(ControllerEvent.Kind.ERROR + ": controller pass failed: " + e.getMessage() + "; will retry");
                out.flush();
            }
            try {
                if (await(interval)) {
                    break;
                }
            } catch (InterruptedException e) {
                break;
            }
        }
        // Clean-up runs with the flag clear: the emulator's servers wait for their threads only then.
        Thread.interrupted();
    }

    /** Starts the next pass now instead of at the end of the interval (one waiting pass; a running one finishes). */
    void wake() {
        synchronized (pause) {
            woken = true;
            pause.notifyAll();
        }
    }

    /** Waits out the interval, or until woken or stopped; true when stopped. */
    private boolean await(Duration interval) throws InterruptedException {
        long end = System.nanoTime() + interval.toNanos();
        synchronized (pause) {
            while (!woken && stop.getCount() > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(pause, left);
            }
            woken = false;
        }
        return stop.getCount() == 0;
    }

    /** Lets a signal's shutdown go on: call after the clean-up. */
    @Override
    public void close() {
        cleanedUp.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and returns now that the clean-up is done
        }
    }
}
