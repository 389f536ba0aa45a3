package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.core.store.EventFields;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The controller's event log: kept in memory (bounded) and written to the {@link Outbox}, whose sinks get each
 * event after the pass (without an outbox, listeners are called as each event is noted, outside any lock).
 */
public final class Journal {
    private static final int KEEP = 10_000;
    private static final System.Logger LOG = System.getLogger("dev.spotkeeper.controller");

    private final Clock clock;
    private final Deque<ControllerEvent> recent = new ArrayDeque<>();
    private final List<Consumer<ControllerEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Outbox outbox;
    private volatile boolean stopping;

    /** A journal that calls its listeners as each event is noted (no outbox). */
    public Journal(Clock clock) {
        this(clock, null);
    }

    /** A journal whose events go to {@code outbox}, whose sinks its listeners become. */
    public Journal(Clock clock, Outbox outbox) {
        this.clock = clock;
        this.outbox = outbox;
    }

    public void addListener(Consumer<ControllerEvent> listener) {
        if (outbox == null) {
            listeners.add(listener);
        } else {
            outbox.addListener(listener);
        }
    }

    /**
     * The controller is being closed: the pass under way is cut short by an interrupt, and the errors that causes
     * (a store call "interrupted") are not failures anyone should see or act on. They are still kept, for
     * diagnosis, but logged at debug level and not passed to listeners.
     */
    public void stopping() {
        stopping = true;
    }

    public void note(String workload, String instanceId, ControllerEvent.Kind kind, String message) {
        note(workload, instanceId, kind, message, EventFields.NONE);
    }

    /** An event with its typed fields, which the outbox keeps for the readers that must not parse its words. */
    public void note(String workload, String instanceId, ControllerEvent.Kind kind, String message,
                     EventFields fields) {
        note(clock.instant(), workload, instanceId, kind, message, fields);
    }

    /**
     * An event dated {@code at} rather than now: what happened when an event was received, noted after what was done
     * for it at once (a fleet's detach), keeps the time it was received.
     */
    public void note(Instant at, String workload, String instanceId, ControllerEvent.Kind kind, String message,
                     EventFields fields) {
        ControllerEvent e = new ControllerEvent(at, workload, instanceId, kind, message, fields);
        synchronized (recent) {
            recent.addLast(e);
            if (recent.size() > KEEP) {
                recent.removeFirst();
            }
        }
        if (stopping && kind == ControllerEvent.Kind.ERROR) {
            LOG.log(System.Logger.Level.DEBUG, "while stopping: " + e);
            return;
        }
        if (kind == ControllerEvent.Kind.ERROR || kind == ControllerEvent.Kind.MALFORMED_EVENT) {
            LOG.log(System.Logger.Level.WARNING, e.toString());
        } else {
            LOG.log(System.Logger.Level.DEBUG, e.toString());
        }
        if (outbox != null) {
            outbox.append(e);
        }
        for (Consumer<ControllerEvent> l : listeners) {
            l.accept(e);
        }
    }

    public List<ControllerEvent> of(String workload) {
        synchronized (recent) {
            List<ControllerEvent> out = new ArrayList<>();
            for (ControllerEvent e : recent) {
                if (e.workload().equals(workload)) {
                    out.add(e);
                }
            }
            return out;
        }
    }

    public List<ControllerEvent> all() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }
}
