package dev.spotkeeper.emulator.ec2.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One instance's EventBridge events, in the order they were raised, delivered one at a time. An event is raised
 * under the instance's lock together with the change it reports, so the order of the events is the order of the
 * changes; whichever thread finds nobody delivering delivers all that is waiting, so a slow delivery (the queue
 * taking its time) delays the events after it instead of letting them overtake it.
 */
final class InstanceEvents {
    /** One event as EventBridge would carry it: its detail-type, detail, resources and time. */
    record Event(String detailType, Map<String, Object> detail, List<String> resources, Instant time) {
        Event {
            detail = Map.copyOf(detail);
            resources = List.copyOf(resources);
        }
    }

    private final Deque<Event> waiting = new ArrayDeque<>();
    private boolean delivering;

    synchronized void raise(Event event) {
        waiting.add(event);
    }

    /** Delivers what waits, unless another thread is delivering (it then delivers these too). */
    void deliver(Consumer<Event> publish) {
        while (true) {
            Event next;
            synchronized (this) {
                if (delivering || waiting.isEmpty()) {
                    return;
                }
                delivering = true;
                next = waiting.poll();
            }
            try {
                publish.accept(next);
            } finally {
                synchronized (this) {
                    delivering = false;
                }
            }
        }
    }
}
