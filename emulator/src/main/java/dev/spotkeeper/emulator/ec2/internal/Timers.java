package dev.spotkeeper.emulator.ec2.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs actions when the emulator's clock reaches their time. The clock is injected, so a test's clock decides
 * when boots, warnings and terminations happen; one thread polls it every 50 ms of wall time and runs what
 * is due in time order, then the tick hooks (the market catching up).
 */
public final class Timers implements AutoCloseable {
    private record Task(Instant due, long order, Runnable action) {
    }

    private final Clock clock;
    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> {
        int c = a.due().compareTo(b.due());
        return c != 0 ? c : Long.compare(a.order(), b.order());
    });
    private final AtomicLong order = new AtomicLong();
    private final List<Consumer<Instant>> tickHooks = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker;
    private final Consumer<Throwable> onError;

    public Timers(Clock clock, Consumer<Throwable> onError) {
        this.clock = clock;
        this.onError = onError;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "emulator-timers");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tick, 50, 50, TimeUnit.MILLISECONDS);
    }

    public Clock clock() {
        return clock;
    }

    public Instant now() {
        return clock.instant();
    }

    public void schedule(Instant due, Runnable action) {
        synchronized (queue) {
            queue.add(new Task(due, order.incrementAndGet(), action));
        }
    }

    public void after(Duration delay, Runnable action) {
        schedule(now().plus(delay), action);
    }

    /** Runs every {@code hook(now)} on each tick, after the due actions. */
    public void onTick(Consumer<Instant> hook) {
        tickHooks.add(hook);
    }

    /** Runs what is due now; the timer thread calls this, tests may too. */
    public synchronized void tick() {
        Instant now = clock.instant();
        List<Task> due = new ArrayList<>();
        synchronized (queue) {
            while (!queue.isEmpty() && !queue.peek().due().isAfter(now)) {
                due.add(queue.poll());
            }
        }
        for (Task t : due) {
            run(t.action());
        }
        for (Consumer<Instant> hook : tickHooks) {
            run(() -> hook.accept(now));
        }
    }

    private void run(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            onError.accept(e);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
