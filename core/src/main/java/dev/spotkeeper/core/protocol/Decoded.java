package dev.spotkeeper.core.protocol;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** The outcome of decoding one agent report: a value, since a report nobody can read is expected, not a defect. */
public sealed interface Decoded {
    /**
     * A report the controller acts on.
     *
     * @param notes what was wrong with a field that was left out rather than failing the whole report (a byte count
     *     that is not a number), for the journal
     */
    record Accepted(Report report, List<String> notes) implements Decoded {
        public Accepted {
            requireNonNull(report, "report is null");
            notes = List.copyOf(notes);
        }
    }

    /** A report the controller does not act on (unknown, of a newer protocol, or meaningless), and why. */
    record Refused(String reason) implements Decoded {
        public Refused {
            requireNonNull(reason, "reason is null");
        }
    }
}
