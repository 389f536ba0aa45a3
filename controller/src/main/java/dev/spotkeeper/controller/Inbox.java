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
import java.util.List;
import java.util.Optional;

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
        int handled = 0;
        int duplicates = 0;
        int malformed = 0;
        int ignored = 0;
        int failed = 0;
        for (QueueMessage m : messages) {
            try {
                ParsedEvent parsed = EventParser.parse(m.body());
                if (parsed instanceof ParsedEvent.Malformed bad) {
                    malformed++;
                    journal.note("", "", ControllerEvent.Kind.MALFORMED_EVENT, bad.describe("message") + "; deleted");
                } else if (parsed instanceof ParsedEvent.Event ok) {
                    switch (handle(ok.event(), ok.envelope())) {
                        case HANDLED -> handled++;
                        case DUPLICATE -> duplicates++;
                        case UNKNOWN -> ignored++;
                    }
                } else {
                    ignored++;
                }
                queue.delete(m);
            } catch (RuntimeException e) {
                failed++;
                journal.note("", "", ControllerEvent.Kind.ERROR, "handling a message failed (left on the queue): "
                        + e.getMessage());
            }
        }
        return new Counts(messages.size(), handled, duplicates, malformed, ignored, failed);
    }

    private enum Outcome { HANDLED, DUPLICATE, UNKNOWN }

    private Outcome handle(SpotEvent event, Envelope envelope) {
        Optional<InstanceRecord> instance = passes.instance(event.instanceId());
        if (instance.isEmpty()) {
            journal.note("", event.instanceId(), ControllerEvent.Kind.IGNORED_EVENT,
                    event.detailType() + " about an instance this controller does not run");
            return Outcome.UNKNOWN;
        }
        // Checked before the key is stored: a forged copy must not make the genuine event look like a duplicate.
        Optional<String> distrust = trust.distrust(event, envelope, instance.get());
        if (distrust.isPresent()) {
            journal.note(instance.get().workload(), event.instanceId(), ControllerEvent.Kind.IGNORED_EVENT,
                    event.detailType() + " not believed: " + distrust.get() + "; ignored");
            return Outcome.UNKNOWN;
        }
        // The key is stored before handling: handling is idempotent and the reconciler completes what a failed
        // handling left half done, so a redelivery after a crash may safely be dropped.
        if (!passes.markProcessed(event.dedupKey())) {
            return Outcome.DUPLICATE;
        }
        passes.within(instance.get().workload(), () -> handler.handle(event));
        return Outcome.HANDLED;
    }
}
