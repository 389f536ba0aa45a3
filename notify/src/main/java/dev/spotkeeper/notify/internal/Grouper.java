package dev.spotkeeper.notify.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps a flapping pool from flooding a channel: within a window that starts with an event, the first {@code burst}
 * events of one kind for one workload are sent as they come; the rest are counted, and when the window ends one
 * summary says how many there were and shows the last.
 */
public final class Grouper {
    private final Duration window;
    private final int burst;
    private final Map<String, Group> groups = new HashMap<>();

    private static final class Group {
        final Instant start;
        int sent;
        int held;
        EventFacts last;
        String firstHeldId;

        Group(Instant start) {
            this.start = start;
        }
    }

    public Grouper(Duration window, int burst) {
        this.window = window;
        this.burst = burst;
    }

    /** True: send it now. False: it is held for the window's summary. */
    public boolean admit(EventFacts f, Instant now) {
        String key = f.workload() + "\u0000" + f.event();
        Group g = groups.get(key);
        if (g == null || !now.isBefore(g.start.plus(window))) {
            if (g != null && g.held > 0) {
                pendingSummaries.add(summary(g));
            }
            g = new Group(now);
            groups.put(key, g);
        }
        if (g.sent < burst) {
            g.sent++;
            return true;
        }
        if (g.held == 0) {
            g.firstHeldId = f.id();
        }
        g.held++;
        g.last = f;
        return false;
    }

    private final List<EventFacts> pendingSummaries = new ArrayList<>();

    /** The summaries of the windows that have ended by {@code now}, once each. */
    public List<EventFacts> due(Instant now) {
        List<EventFacts> out = new ArrayList<>(pendingSummaries);
        pendingSummaries.clear();
        for (Iterator<Group> it = groups.values().iterator(); it.hasNext(); ) {
            Group g = it.next();
            if (!now.isBefore(g.start.plus(window))) {
                it.remove();
                if (g.held > 0) {
                    out.add(summary(g));
                }
            }
        }
        return out;
    }

    /** When the next window ends, if any holds events: the sender wakes up then. */
    public Optional<Instant> nextDue() {
        return groups.values().stream().filter(g -> g.held > 0).map(g -> g.start.plus(window)).min(Instant::compareTo);
    }

    private EventFacts summary(Group g) {
        return g.last.grouped(g.firstHeldId + "-group", g.held, window);
    }
}
