package dev.spotkeeper.core.event;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of reading one message: an event to handle, a well-formed event spotkeeper does not handle, or
 * a malformed message with where and what was wrong. Malformed messages are expected (people paste test events
 * by hand), so they are values, not exceptions.
 */
public sealed interface ParsedEvent {
    /** An event and the envelope it came in, which says where it claims to come from. */
    record Event(SpotEvent event, Envelope envelope) implements ParsedEvent {
        public Event {
            requireNonNull(event, "event is null");
            requireNonNull(envelope, "envelope is null");
        }

        /** An event built in code, with an envelope that says nothing. */
        public Event(SpotEvent event) {
            this(event, Envelope.unknown(""));
        }
    }

    record Ignored(String reason) implements ParsedEvent {
        public Ignored {
            requireNonNull(reason, "reason is null");
        }
    }

    /** @param line 1-based line of the problem, 0 when it is about the whole message */
    record Malformed(int line, String problem) implements ParsedEvent {
        public Malformed {
            requireNonNull(problem, "problem is null");
        }

        public String describe(String name) {
            return (line > 0 ? name + ":" + line : name) + ": " + problem;
        }
    }
}
