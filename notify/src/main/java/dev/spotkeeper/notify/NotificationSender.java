package dev.spotkeeper.notify;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.store.OutboxEvent;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.workload.NotifyEvent;
import dev.spotkeeper.core.workload.NotifySpec;
import dev.spotkeeper.core.workload.WorkloadSpecJson;
import dev.spotkeeper.notify.internal.EventFacts;
import dev.spotkeeper.notify.internal.EventMapping;
import dev.spotkeeper.notify.internal.Grouper;
import dev.spotkeeper.notify.internal.Messages;
import dev.spotkeeper.notify.internal.SinkWorker;
import dev.spotkeeper.notify.internal.StoreFacts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Reads the controller's outbox from its own cursor ({@value #CURSOR}) and tells each workload's sinks, on threads
 * of its own: nothing here runs in a controller pass, so a dead sink slows no pass and no evacuation. Delivery is at
 * least once: the stored cursor moves past an event only once every sink has sent it or given it up, so a sender
 * that stops (or crashes) sends the rest again on its next start, with the same {@link Message#id()}.
 */
public final class NotificationSender implements AutoCloseable {
    /** The sender's cursor in the store's outbox. */
    public static final String CURSOR = "notify";
    private static final System.Logger LOG = System.getLogger("dev.spotkeeper.notify");
    private static final int PAGE = 200;

    /**
     * @param poll how often the outbox is read when nobody {@linkplain #wake() wakes} the sender
     * @param groupWindow the window of {@link Grouper}; {@code groupBurst} the events of one kind sent in it
     */
    public record Settings(Duration poll, Duration backoffBase, Duration backoffMax, int failingAfter,
                           Duration giveUpAfter, Duration groupWindow, int groupBurst, int queueLimit) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(2), 3,
                    Duration.ofHours(1), Duration.ofMinutes(10), 3, 1000);
        }

        public Settings withGroup(Duration window, int burst) {
            return new Settings(poll, backoffBase, backoffMax, failingAfter, giveUpAfter, window, burst, queueLimit);
        }

        public Settings withBackoff(Duration base, Duration max, int failing, Duration giveUp) {
            return new Settings(poll, base, max, failing, giveUp, groupWindow, groupBurst, queueLimit);
        }

        public Settings withPoll(Duration p) {
            return new Settings(p, backoffBase, backoffMax, failingAfter, giveUpAfter, groupWindow, groupBurst,
                    queueLimit);
        }
    }

    /** One workload's spec as last read, and its sinks. */
    private record Sinks(String specText, NotifySpec spec, List<SinkWorker> workers) {
    }

    private final StateStore store;
    private final NotifierContext context;
    private final Settings settings;
    private final Clock clock;
    private final Consumer<String> reports;
    private final List<NotifierFactory> factories;
    private final EventMapping mapping = new EventMapping();
    private final Grouper grouper;
    private final StoreFacts facts;
    private final Map<String, Sinks> sinks = new HashMap<>();
    private final Map<String, SinkWorker> workers = new ConcurrentHashMap<>();
    /** Events read but not yet sent or given up by every sink, with how many sinks still have them. */
    private final ConcurrentSkipListMap<Long, AtomicInteger> outstanding = new ConcurrentSkipListMap<>();
    private final Object wakeUp = new Object();
    private long read = -1;
    private long stored;
    private boolean woken;
    private volatile boolean closed;
    private Thread thread;

    /** With the sinks found through {@link ServiceLoader}. */
    public NotificationSender(StateStore store, NotifierContext context, Settings settings, Clock clock,
                              Consumer<String> reports) {
        this(store, context, settings, clock, reports, ServiceLoader.load(NotifierFactory.class,
                NotificationSender.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList());
    }

    public NotificationSender(StateStore store, NotifierContext context, Settings settings, Clock clock,
                              Consumer<String> reports, List<NotifierFactory> factories) {
        this.store = requireNonNull(store, "store is null");
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.reports = requireNonNull(reports, "reports is null");
        this.factories = List.copyOf(factories);
        this.grouper = new Grouper(settings.groupWindow(), settings.groupBurst());
        this.facts = new StoreFacts(store);
    }

    /** Starts reading the outbox on the sender's own thread. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::loop, "spotkeeper-notify");
        thread.setDaemon(true);
        thread.start();
    }

    /** Reads the outbox now rather than at the next poll: what a controller's listener calls after a pass. */
    public void wake() {
        synchronized (wakeUp) {
            woken = true;
            wakeUp.notifyAll();
        }
    }

    /** The notifiers the shipped and added factories make for a spec (what {@code notify test} sends to). */
    public static List<Notifier> notifiers(NotifySpec spec, NotifierContext context, List<NotifierFactory> factories) {
        List<Notifier> out = new ArrayList<>();
        for (NotifierFactory f : factories) {
            out.addAll(f.create(spec, context));
        }
        return out;
    }

    /** The message {@code spotkeeper notify test} sends: a test event of the workload, in its language. */
    public static Message testMessage(String workload, String language, Instant now) {
        Messages texts = new Messages(language);
        return texts.render(new EventFacts(workload + "-test-" + now.toEpochMilli(), workload, "test", "", "",
                Optional.empty(), true, Optional.empty(), Optional.empty(), Optional.empty(), now,
                texts.text("test.detail"), 1, Duration.ZERO, dev.spotkeeper.core.store.EventFields.NONE));
    }

    /** The factories found through {@link ServiceLoader}. */
    public static List<NotifierFactory> installed() {
        return ServiceLoader.load(NotifierFactory.class, NotificationSender.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
    }

    private void loop() {
        while (!closed) {
            try {
                pump();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "notify: reading the outbox failed (" + e.getMessage()
                        + "); trying again");
            }
            long waitMs = settings.poll().toMillis();
            Optional<Instant> due = grouper.nextDue();
            if (due.isPresent()) {
                waitMs = Math.max(1, Math.min(waitMs, Duration.between(clock.instant(), due.get()).toMillis()));
            }
            synchronized (wakeUp) {
                if (!woken && !closed) {
                    try {
                        wakeUp.wait(waitMs);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    /** One round: reads what the outbox holds after the cursor, hands it to the sinks, sends due summaries. */
    synchronized void pump() {
        if (read < 0) {
            read = store.sinkCursor(CURSOR);
            stored = read;
        }
        facts.clear();
        Map<String, Optional<Sinks>> round = new HashMap<>();
        while (true) {
            List<OutboxEvent> page = store.events(read, PAGE);
            for (OutboxEvent e : page) {
                dispatch(e, round);
                read = e.sequence();
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        Instant now = clock.instant();
        for (EventFacts summary : grouper.due(now)) {
            Optional<Sinks> s = sinks(summary.workload(), round);
            s.ifPresent(x -> send(0, x, summary));
        }
        moveCursor();
    }

    private void dispatch(OutboxEvent e, Map<String, Optional<Sinks>> round) {
        if (e.workload().isEmpty()) {
            return;
        }
        Optional<NotifyEvent> event = mapping.map(e.workload(), e.kind(), e.message(), e.fields());
        if (event.isEmpty()) {
            return;
        }
        Optional<Sinks> s = sinks(e.workload(), round);
        if (s.isEmpty() || !s.get().spec().wants(event.get())) {
            return;
        }
        Instant now = clock.instant();
        EventFacts f = facts.facts(e, event.get(), now);
        if (grouper.admit(f, now)) {
            send(e.sequence(), s.get(), f);
        }
    }

    private void send(long sequence, Sinks s, EventFacts f) {
        Message m = new Messages(s.spec().language()).render(f);
        if (sequence > 0) {
            outstanding.put(sequence, new AtomicInteger(s.workers().size()));
        }
        for (SinkWorker w : s.workers()) {
            w.offer(sequence, m);
        }
    }

    /** The workload's sinks, read once a round; empty when it has none or its spec cannot be read. */
    private Optional<Sinks> sinks(String workload, Map<String, Optional<Sinks>> round) {
        return round.computeIfAbsent(workload, name -> {
            Optional<WorkloadRecord> w = store.workload(name);
            if (w.isEmpty()) {
                return Optional.empty();
            }
            Sinks known = sinks.get(name);
            if (known != null && known.specText().equals(w.get().specText())) {
                return Optional.of(known);
            }
            NotifySpec spec;
            try {
                spec = WorkloadSpecJson.read("workload " + name, w.get().specText()).notifications();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "notify: the spec of " + name + " cannot be read: " + e.getMessage());
                return Optional.empty();
            }
            List<SinkWorker> ws = new ArrayList<>();
            for (Notifier n : notifiers(spec, context, factories)) {
                ws.add(workers.compute(name + "\u0000" + n.describe(), (k, old) -> {
                    if (old != null) {
                        old.replace(n);
                        return old;
                    }
                    return new SinkWorker(name, n, policy(), clock, reports, this::sent);
                }));
            }
            Sinks fresh = new Sinks(w.get().specText(), spec, ws);
            sinks.put(name, fresh);
            return ws.isEmpty() ? Optional.empty() : Optional.of(fresh);
        });
    }

    private SinkWorker.Policy policy() {
        return new SinkWorker.Policy(settings.backoffBase(), settings.backoffMax(), settings.failingAfter(),
                settings.giveUpAfter(), settings.queueLimit());
    }

    /** A sink sent (or gave up) the event of that sequence. */
    private void sent(long sequence) {
        if (sequence <= 0) {
            return;
        }
        AtomicInteger left = outstanding.get(sequence);
        if (left != null && left.decrementAndGet() <= 0) {
            outstanding.remove(sequence);
            wake();
        }
    }

    /** Stores the cursor: before the oldest event a sink still has, or at the last one read. */
    private void moveCursor() {
        long to = outstanding.isEmpty() ? read : Math.min(read, outstanding.firstKey() - 1);
        if (to <= stored) {
            return;
        }
        try {
            if (store.moveSinkCursor(CURSOR, stored, to)) {
                stored = to;
            } else {
                stored = Math.max(stored, store.sinkCursor(CURSOR));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "notify: cursor not stored (" + e.getMessage() + "); next round");
        }
    }

    /**
     * Waits until every event the outbox holds now has been sent or given up by its sinks, at most {@code max}: what
     * a command that ends with its workload calls, so that the last messages (completed, failed) are not cut off.
     *
     * @return true when caught up
     */
    public boolean flush(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        long head;
        try {
            synchronized (this) {
                pump();
                head = read;
            }
        } catch (RuntimeException e) {
            return false;
        }
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                if (outstanding.isEmpty() || outstanding.firstKey() > head) {
                    moveCursor();
                    return true;
                }
            }
            synchronized (wakeUp) {
                try {
                    wakeUp.wait(Math.max(1, Math.min(50, (deadline - System.nanoTime()) / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    /** The stored cursor, as this sender last moved it. */
    public synchronized long storedCursor() {
        return stored;
    }

    @Override
    public void close() {
        closed = true;
        wake();
        workers.values().forEach(SinkWorker::close);
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
