package dev.spotkeeper.core.protocol;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.json.JsonException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Reports to and from what travels in an agent report's {@code detail} (docs/job-runtime.md): the agent encodes a
 * {@link Report} into the fields it adds next to {@code instance-id}, {@code workload}, {@link #REPORT},
 * {@link #PROTOCOL} and {@code sequence}; the controller decodes the fields as the event parser read them (each
 * value as text, lists as their JSON). Decoding is lenient where the old controller was (a missing duration, a byte
 * count that is not one: left out, with a note) and refuses what it cannot act on: an unknown report, a report of a
 * newer protocol version, a progress that is not a fraction.
 */
public final class ReportCodec {
    /** The detail field naming the report. */
    public static final String REPORT = "report";
    /** The detail field carrying the protocol version ({@link AgentProtocol#VERSION}). */
    public static final String PROTOCOL = "protocol";

    private static final String CHECKPOINT = "checkpoint";
    private static final String BYTES = "bytes";
    private static final String REUSED_BYTES = "reusedBytes";
    private static final String SECONDS = "seconds";
    private static final String SKIPPED = "skipped";
    private static final String STORED_BYTES = "storedBytes";
    private static final String CONFIRMED = "confirmed";
    private static final String DEADLINE = "deadline";
    private static final String PLANNED_SECONDS = "plannedSeconds";
    private static final String FITS = "fits";
    private static final String PROGRESS = "progress";
    private static final String EXIT_CODE = "exitCode";
    private static final String RESULTS = "results";
    private static final String REASON = "reason";
    private static final String POSITION = "position";
    private static final String SENT_IN_ALL = "sentInAll";

    private ReportCodec() {
    }

    /** The report's own fields, in the order the console line shows them (name and version not included). */
    public static Map<String, Object> encode(Report report) {
        Map<String, Object> f = new LinkedHashMap<>();
        // Java 17 has no pattern switch: one branch per record of the sealed interface.
        if (report instanceof Report.Restored r) {
            f.put(CHECKPOINT, r.checkpoint());
            f.put(BYTES, r.bytes());
            f.put(REUSED_BYTES, r.reusedBytes());
            r.seconds().ifPresent(s -> f.put(SECONDS, s));
            f.put(SKIPPED, r.skipped());
        } else if (report instanceof Report.Upload u) {
            f.put(CHECKPOINT, u.checkpoint());
            f.put(BYTES, u.bytes());
            u.seconds().ifPresent(s -> f.put(SECONDS, s));
            if (u.storedBytes() >= 0) {
                f.put(STORED_BYTES, u.storedBytes());
            }
            f.put(CONFIRMED, u.confirmed());
        } else if (report instanceof Report.Evacuating e) {
            e.deadline().ifPresent(d -> f.put(DEADLINE, d.toString()));
            e.plannedSeconds().ifPresent(s -> f.put(PLANNED_SECONDS, s));
            f.put(FITS, e.fits());
        } else if (report instanceof Report.Progress p) {
            f.put(PROGRESS, p.progress());
        } else if (report instanceof Report.Exited x) {
            x.exitCode().ifPresent(c -> f.put(EXIT_CODE, c));
            f.put(RESULTS, x.results());
            if (!x.reason().isEmpty()) {
                f.put(REASON, x.reason());
            }
        } else if (report instanceof Report.Failed x) {
            f.put(REASON, x.reason());
        } else if (report instanceof Report.Abandoned x) {
            f.put(REASON, x.reason());
        } else if (report instanceof Report.Shipped x) {
            f.put(POSITION, x.position());
            f.put(BYTES, x.bytes());
            f.put(SENT_IN_ALL, x.sentInAll());
        }
        return f;
    }

    /**
     * @param name the report's name ({@code detail.report})
     * @param fields the other detail fields as text, lists as their JSON (as {@code EventParser} gives them)
     */
    public static Decoded decode(String name, Map<String, String> fields) {
        String version = fields.get(PROTOCOL);
        if (version != null) {
            int v;
            try {
                v = Integer.parseInt(version.strip());
            } catch (NumberFormatException e) {
                return new Decoded.Refused("agent report '" + name + "' names protocol '" + version
                        + "', which is not a version number: ignored");
            }
            if (v > AgentProtocol.VERSION) {
                return new Decoded.Refused("agent report '" + name + "' speaks protocol " + v + " and this controller "
                        + AgentProtocol.VERSION + ": ignored; upgrade the controller to the agent's version");
            }
        }
        List<String> notes = new ArrayList<>();
        Report report;
        switch (name) {
            case Report.Started.NAME -> report = new Report.Started();
            case Report.Restored.NAME -> report = new Report.Restored(text(fields, CHECKPOINT),
                    bytes(fields, BYTES, notes), Math.max(0, bytes(fields, REUSED_BYTES, notes)),
                    number(fields, SECONDS), skipped(fields.get(SKIPPED)));
            case Report.Checkpointed.NAME -> report = new Report.Checkpointed(text(fields, CHECKPOINT),
                    bytes(fields, BYTES, notes), number(fields, SECONDS), bytes(fields, STORED_BYTES, notes),
                    !"false".equals(fields.get(CONFIRMED)));
            case Report.Evacuated.NAME -> report = new Report.Evacuated(text(fields, CHECKPOINT),
                    bytes(fields, BYTES, notes), number(fields, SECONDS), bytes(fields, STORED_BYTES, notes),
                    !"false".equals(fields.get(CONFIRMED)));
            case Report.Evacuating.NAME -> report = new Report.Evacuating(instant(fields.get(DEADLINE)),
                    number(fields, PLANNED_SECONDS), "true".equals(fields.get(FITS)));
            case Report.Progress.NAME -> {
                String value = text(fields, PROGRESS);
                OptionalDouble p = number(fields, PROGRESS);
                if (p.isEmpty()) {
                    return new Decoded.Refused("progress '" + value + "' is not a number");
                }
                if (!(p.getAsDouble() >= 0 && p.getAsDouble() <= 1)) {
                    return new Decoded.Refused("progress " + value + " is outside [0, 1]");
                }
                report = new Report.Progress(p.getAsDouble());
            }
            case Report.Exited.NAME -> report = new Report.Exited(integer(fields.get(EXIT_CODE)),
                    text(fields, RESULTS), text(fields, REASON));
            case Report.Failed.NAME -> report = new Report.Failed(text(fields, REASON));
            case Report.Abandoned.NAME -> report = new Report.Abandoned(text(fields, REASON));
            case Report.Shipped.NAME -> report = new Report.Shipped(text(fields, POSITION),
                    bytes(fields, BYTES, notes), bytes(fields, SENT_IN_ALL, notes));
            default -> {
                return new Decoded.Refused("agent report '" + name + "' is not one this controller knows");
            }
        }
        return new Decoded.Accepted(report, notes);
    }

    private static String text(Map<String, String> fields, String key) {
        return fields.getOrDefault(key, "");
    }

    /** A byte count; -1 when absent (agents before the field) or not a count, which is noted. */
    private static long bytes(Map<String, String> fields, String key, List<String> notes) {
        String value = fields.get(key);
        if (value == null) {
            return -1;
        }
        try {
            double d = Double.parseDouble(value);
            if (d >= 0 && d <= Long.MAX_VALUE) {
                return (long) d;
            }
        } catch (NumberFormatException e) {
            // noted below
        }
        notes.add(key + " '" + value + "' is not a byte count: not billed");
        return -1;
    }

    private static OptionalDouble number(Map<String, String> fields, String key) {
        String value = fields.get(key);
        if (value == null) {
            return OptionalDouble.empty();
        }
        try {
            double d = Double.parseDouble(value);
            return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    private static OptionalInt integer(String value) {
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static Optional<Instant> instant(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The {@code skipped} list of a restore report, as JSON; a text that is not a list is one entry. */
    private static List<String> skipped(String text) {
        if (text == null || text.isBlank() || text.equals("[]")) {
            return List.of();
        }
        try {
            if (Json.parse(text) instanceof List<?> list) {
                return list.stream().map(String::valueOf).toList();
            }
        } catch (JsonException e) {
            // an older agent's list as Java prints it: keep it whole
        }
        return List.of(text);
    }
}
