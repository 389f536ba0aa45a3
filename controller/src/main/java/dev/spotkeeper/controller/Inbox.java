package dev.spotkeeper.controller;

import dev.spotkeeper.controller.internal.EventHandler;
import dev.spotkeeper.controller.internal.EventTrust;
import dev.spotkeeper.controller.internal.Journal;
import dev.spotkeeper.controller.internal.PassStore;
import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.core.cloud.QueueMessage;
import dev.spotkeeper.core.event.Envelope;
import dev.spotkeeper.core.event.EventParser;
import dev.spotkeeper.core.event.ParsedEvent;
import dev.spotkeeper.core.event.SpotEvent;
import dev.spotkeeper.core.store.InstanceRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one batch from the event queue and hands each event to the handler. A malformed message is logged with
 * the reason and deleted (it will never parse, and keeping it would block nothing but waste every pass); a
 * duplicate is recognised by its key in the store and deleted; a message whose handling failed (store or cloud
 * down) is left on the queue so SQS delivers it again. Each event is handled as a pass over its instance's workload,
 * from one snapshot of it.
 */
final class Inbox {
    /** What one drain did. */
    record Counts(int messages, int handled, int duplicates, int malformed, int ignored, int failed) {
        static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0);

        Counts plus(Counts o) {
            return new Counts(messages + o.messages, handled + o.handled, duplicates + o.duplicates,
                    malformed + o.malformed, ignored + o.ignored, failed + o.failed);
        }
    }

    private final EventQueuePort queue;
    private final PassStore passes;
    private final EventHandler handler;
    private final EventTrust trust;
    private final Journal journal;
    private final int batch;
    private final Duration wait;

    Inbox(EventQueuePort queue, PassStore passes, EventHandler handler, EventTrust trust, Journal journal, int batch,
          Duration wait) {
        this.queue = queue;
        this.passes = passes;
        this.handler = handler;
        this.trust = trust;
        this.journal = journal;
        this.batch = batch;
        this.wait = wait;
    }

    Counts drain() {
        List<QueueMessage> messages;
        try {
            messages = queue.receive(batch, wait);
        } catch (RuntimeException e) {
            journal.note("", "", ControllerEvent.Kind.ERROR, "reading the event queue: " + e.getMessage());
            return new Counts(0, 0, 0, 0, 0, 1);
        }
        Tally tally = new Tally();
        for (QueueMessage m : messages) {
            Outcome o = take(m);
            tally.add(o);
            if (o != Outcome.FAILED) {
                try {
                    queue.delete(m);
                } catch (RuntimeException e) {
                    // SQS will deliver it again, and its key makes it a duplicate then.
                    tally.add(Outcome.FAILED);
                    journal.note("", "", ControllerEvent.Kind.ERROR, "handling a message failed (left on the queue): "
                            + e.getMessage());
                }
            }
        }
        return tally.counts(messages.size());
    }

    /**
     * Handles messages that someone else received and deletes (a function's batch from the queue's event source):
     * the same steps as {@link #drain()} without the receive and the delete. Returns the outcome of each message, in
     * order; the workloads whose events were handled are added to {@code touched}.
     */
    List<Outcome> take(List<QueueMessage> messages, Set<String> touched) {
        List<Outcome> out = new ArrayList<>(messages.size());
        for (QueueMessage m : messages) {
            out.add(take(m, touched));
        }
        return out;
    }

    private Outcome take(QueueMessage m) {
        return take(m, new HashSet<>());
    }

    /** One message: parsed, checked, its key stored and its event handled; FAILED leaves it to be delivered again. */
    private Outcome take(QueueMessage m, Set<String> touched) {
        try {
            ParsedEvent parsed = EventParser.parse(m.body());
            if (parsed instanceof ParsedEvent.Malformed bad) {
                journal.note("", "", ControllerEvent.Kind.MALFORMED_EVENT, bad.describe("message") + "; deleted");
                return Outcome.MALFORMED;
            }
            if (parsed instanceof ParsedEvent.Event ok) {
                return handle(ok.event(), ok.envelope(), touched);
            }
            return Outcome.IGNORED;
        } catch (RuntimeException e) {
            journal.note("", "", ControllerEvent.Kind.ERROR, "handling a message failed (left on the queue): "
                    + e.getMessage());
            return Outcome.FAILED;
        }
    }

    /** What became of one message. */
    enum Outcome { HANDLED, DUPLICATE, MALFORMED, IGNORED, FAILED }

    /** Counts outcomes into the figures a pass reports. */
    static final class Tally {
        private final int[] n = new int[Outcome.values().length];

        void add(Outcome o) {
            n[o.ordinal()]++;
        }

        Counts counts(int messages) {
            return new Counts(messages, n[Outcome.HANDLED.ordinal()], n[Outcome.DUPLICATE.ordinal()],
                    n[Outcome.MALFORMED.ordinal()], n[Outcome.IGNORED.ordinal()], n[Outcome.FAILED.ordinal()]);
        }
    }

    private Outcome handle(SpotEvent event, Envelope envelope, Set<String> touched) {
        Optional<InstanceRecord> instance = passes.instance(event.instanceId());
        if (instance.isEmpty()) {
            journal.note("", event.instanceId(), ControllerEvent.Kind.IGNORED_EVENT,
                    event.detailType() + " about an instance this controller does not run");
            return Outcome.IGNORED;
        }
        // Checked before the key is stored: a forged copy must not make the genuine event look like a duplicate.
        Optional<String> distrust = trust.distrust(event, envelope, instance.get());
        if (distrust.isPresent()) {
            journal.note(instance.get().workload(), event.instanceId(), ControllerEvent.Kind.IGNORED_EVENT,
                    event.detailType() + " not believed: " + distrust.get() + "; ignored");
            return Outcome.IGNORED;
        }
        // The key is stored before handling: handling is idempotent and the reconciler completes what a failed
        // handling left half done, so a redelivery after a crash may safely be dropped.
        if (!passes.markProcessed(event.dedupKey())) {
            return Outcome.DUPLICATE;
        }
        touched.add(instance.get().workload());
        passes.within(instance.get().workload(), () -> handler.handle(event));
        return Outcome.HANDLED;
    }
}
