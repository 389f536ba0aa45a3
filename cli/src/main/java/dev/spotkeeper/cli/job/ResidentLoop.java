package dev.spotkeeper.cli.job;

import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.controller.ControllerEvent;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
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
    /** What was asked for before the loop had a controller; handed to it when {@link #run} begins. */
    private final Set<String> soon = new LinkedHashSet<>();
    /** The controller {@link #run} passes with, once it runs (guarded by {@code pause}). */
    private Controller running;
    private final Thread hook;

    ResidentLoop() {
        hook = new Thread(() -> {
            stop.countDown();
            signal();
            try {
                cleanedUp.await(CLEAN_UP.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "spotkeeper-resident-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Passes every {@code interval} until stopped; a failed pass is noted and the next one retries. Between passes it
     * also reconciles, at once, the workloads a command asked for ({@link #reconcileSoon}): on this thread, so never
     * at the same time as a pass.
     */
    void run(Controller controller, Duration interval, PrintWriter out) {
        synchronized (pause) {
            running = controller;
            soon.forEach(controller::reconcileSoon);
            soon.clear();
        }
        while (stop.getCount() > 0 && !Thread.currentThread().isInterrupted()) {
            try {
                controller.runOnce();
            } catch (RuntimeException e) {
                out.println(ControllerEvent.Kind.ERROR + ": controller pass failed: " + e.getMessage() + "; will retry");
                out.flush();
            }
            try {
                if (waitForNextPass(controller, System.nanoTime() + interval.toNanos())) {
                    break;
                }
            } catch (InterruptedException e) {
                break;
            }
        }
        // Clean-up runs with the flag clear: the emulator's servers wait for their threads only then.
        Thread.interrupted();
    }

    /**
     * Asks for the workload to be reconciled now rather than at the next pass (cancel does): between two workloads of
     * the pass under way, or at once between passes.
     */
    void reconcileSoon(String workload) {
        synchronized (pause) {
            if (running != null) {
                running.reconcileSoon(workload);
            } else {
                soon.add(workload);
            }
            pause.notifyAll();
        }
    }

    private void signal() {
        synchronized (pause) {
            pause.notifyAll();
        }
    }

    /**
     * Waits until {@code next} (a {@link System#nanoTime()}), reconciling meanwhile what commands ask for; true when
     * stopped.
     */
    private boolean waitForNextPass(Controller controller, long next) throws InterruptedException {
        while (true) {
            synchronized (pause) {
                while (!controller.hasAsked() && stop.getCount() > 0 && next - System.nanoTime() > 0) {
                    TimeUnit.NANOSECONDS.timedWait(pause, next - System.nanoTime());
                }
                if (stop.getCount() == 0) {
                    return true;
                }
                if (!controller.hasAsked()) {
                    return false;
                }
            }
            controller.reconcileAsked();
        }
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
