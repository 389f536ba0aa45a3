package dev.spotkeeper.controller.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.core.store.OutboxEvent;
import dev.spotkeeper.core.store.StateStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The controller's events, written to the store's outbox as they happen (with the pass that caused them) and
 * delivered to each sink from its own cursor, on the sink's own thread. A pass only appends; {@link #deliver()},
 * after the pass, hands each sink what it has not taken and waits for them a bounded time, so a slow sink never
 * holds the next pass up, and a sink that throws keeps its place and gets the same event again next time.
 *
 * <p>A named sink keeps its cursor in the store: when a controller starts with a sink of that name, the sink first
 * gets every event after its stored cursor, so what a crashed controller wrote and never delivered is delivered
 * now. A listener (no name) takes what this controller appends from the moment it was added. An event the store
 * could not take (the store is down) still reaches this controller's sinks, but no later controller's.
 */
public final class Outbox {
    private static final System.Logger LOG = System.getLogger("dev.spotkeeper.controller");
    private static final int PAGE = 500;

    private record Entry(long sequence, ControllerEvent event) {
    }

    private final class Sink {
        final String name;
        final Consumer<ControllerEvent> consumer;
        final ExecutorService thread;
        final Deque<Entry> queue = new ArrayDeque<>();
        boolean caughtUp;
        long cursor;
        Future<?> draining;

        Sink(String name, Consumer<ControllerEvent> consumer) {
            this.name = name;
            this.consumer = consumer;
            this.caughtUp = name == null;
            this.thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "spotkeeper-sink-" + (name == null ? "listener" : name));
                t.setDaemon(true);
                return t;
            });
        }

        synchronized void offer(Entry e) {
            queue.addLast(e);
        }

        synchronized Future<?> schedule() {
            if (draining == null || draining.isDone()) {
                draining = thread.submit(this::drain);
            }
            return draining;
        }

        private void drain() {
            try {
                if (!caughtUp) {
                    catchUp();
                }
                long delivered = cursor;
                while (true) {
                    Entry next;
                    synchronized (this) {
                        next = queue.peekFirst();
                    }
                    if (next == null) {
                        break;
                    }
                    if (next.sequence() > 0 && next.sequence() <= cursor) {
                        take();
                        continue; // delivered already, from the store
                    }
                    consumer.accept(next.event());
                    take();
                    delivered = Math.max(delivered, next.sequence());
                }
                store(delivered);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "event sink " + (name == null ? "(listener)" : name)
                        + " failed; its events wait for the next delivery: " + e.getMessage());
            }
        }

        private synchronized void take() {
            queue.pollFirst();
        }

        /** Every event after the stored cursor, from the store: a previous controller's undelivered ones too. */
        private void catchUp() {
            cursor = store.sinkCursor(name);
            stored = cursor;
            while (true) {
                List<OutboxEvent> page = store.events(cursor, PAGE);
                for (OutboxEvent e : page) {
                    consumer.accept(event(e));
                    cursor = e.sequence();
                }
                if (page.size() < PAGE) {
                    break;
                }
            }
            caughtUp = true;
            store(cursor);
        }

        /** The cursor as last stored (read at the catch-up, then written by this sink). */
        private long stored;

        private void store(long delivered) {
            cursor = Math.max(cursor, delivered);
            if (name == null || cursor <= stored) {
                return;
            }
            if (store.moveSinkCursor(name, stored, cursor)) {
                stored = cursor;
                return;
            }
            // Moved meanwhile by another sink of that name: from where it is now, if that is behind.
            stored = store.sinkCursor(name);
            if (stored < cursor && store.moveSinkCursor(name, stored, cursor)) {
                stored = cursor;
            }
        }
    }

    private final StateStore store;
    private final Duration wait;
    private final List<Sink> sinks = new CopyOnWriteArrayList<>();

    /** @param wait how long {@link #deliver()} waits for the sinks, in all */
    public Outbox(StateStore store, Duration wait) {
        this.store = requireNonNull(store, "store is null");
        this.wait = requireNonNull(wait, "wait is null");
    }

    /** A sink that takes what this controller appends from now on. */
    public void addListener(Consumer<ControllerEvent> listener) {
        sinks.add(new Sink(null, requireNonNull(listener, "listener is null")));
    }

    /** A sink whose cursor is kept in the store under {@code name}: it first gets what it has not taken yet. */
    public void addSink(String name, Consumer<ControllerEvent> sink) {
        sinks.add(new Sink(requireNonNull(name, "name is null"), requireNonNull(sink, "sink is null")));
    }

    /** Writes the event to the store's outbox and queues it for every sink. */
    public void append(ControllerEvent e) {
        long sequence = 0;
        try {
            sequence = store.appendEvent(new OutboxEvent(0, e.time(), e.workload(), e.instanceId(), e.kind().name(),
                    e.message(), e.fields()));
        } catch (RuntimeException failed) {
            LOG.log(System.Logger.Level.DEBUG, "event not written to the outbox (" + failed.getMessage() + "): " + e);
        }
        for (Sink s : sinks) {
            s.offer(new Entry(sequence, e));
        }
    }

    /** Hands every sink what it has not taken, and waits for them at most the configured time in all. */
    public void deliver() {
        long deadline = System.nanoTime() + wait.toNanos();
        List<Future<?>> running = sinks.stream().map(Sink::schedule).toList();
        for (Future<?> f : running) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException slow) {
                // It goes on on its own thread; the next delivery finds it further on.
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.log(System.Logger.Level.WARNING, "event sink failed: " + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public void close() {
        sinks.forEach(s -> s.thread.shutdown());
    }

    private static ControllerEvent event(OutboxEvent e) {
        ControllerEvent.Kind kind;
        try {
            kind = ControllerEvent.Kind.valueOf(e.kind());
        } catch (IllegalArgumentException newer) {
            kind = ControllerEvent.Kind.WARNING;
        }
        return new ControllerEvent(e.time(), e.workload(), e.instanceId(), kind, e.message(), e.fields());
    }
}
