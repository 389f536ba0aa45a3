package dev.spotkeeper.cli.job;

import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.core.json.Json;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The resident controller's event log as a file: one JSON object a line ({@code time}, {@code workload},
 * {@code instance}, {@code kind}, {@code message}), appended as events happen, so that a command in another
 * process can follow one workload without running controller passes of its own.
 */
final class JournalFile {
    private static final System.Logger LOG = System.getLogger("dev.spotkeeper.cli");

    private JournalFile() {
    }

    /** Appends each event as one line. Lines are written whole with O_APPEND, so two writers do not mix them. */
    static Consumer<ControllerEvent> appender(Path file) {
        return e -> {
            try {
                Files.writeString(file, line(e) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            } catch (IOException ex) {
                // The event is still in the controller's memory and on its output; the file is for followers.
                LOG.log(System.Logger.Level.WARNING, "cannot append to " + file + ": " + ex.getMessage());
            }
        };
    }

    static String line(ControllerEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", e.time().toString());
        m.put("workload", e.workload());
        m.put("instance", e.instanceId());
        m.put("kind", e.kind().name());
        m.put("message", e.message());
        return Json.write(m);
    }

    /** Reads one line back; null when it is not one of ours (a torn or hand-edited line is skipped). */
    static ControllerEvent parse(String line) {
        try {
            Map<String, Object> m = Json.parseObject(line);
            return new ControllerEvent(Instant.parse((String) m.get("time")), (String) m.get("workload"),
                    (String) m.get("instance"), ControllerEvent.Kind.valueOf((String) m.get("kind")),
                    (String) m.get("message"));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Follows the file from its current end. */
    static Tail tail(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = 0;
        }
        return new Tail(file, size);
    }

    /** Reads the file from its first line, then follows it. */
    static Tail tailFromStart(Path file) {
        return new Tail(file, 0);
    }

    /** New events in the file since the last read; a line still being written waits for the next read. */
    static final class Tail {
        private final Path file;
        private long position;

        private Tail(Path file, long position) {
            this.file = file;
            this.position = position;
        }

        List<ControllerEvent> read() {
            byte[] bytes;
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                long length = f.length();
                if (length < position) {
                    position = 0; // a new plane started the file afresh
                }
                bytes = new byte[(int) Math.min(length - position, 16 << 20)];
                f.seek(position);
                f.readFully(bytes);
            } catch (IOException e) {
                return List.of(); // not there yet, or being replaced: the next read tries again
            }
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            position += end;
            List<ControllerEvent> out = new ArrayList<>();
            for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
                ControllerEvent e = line.isBlank() ? null : parse(line);
                if (e != null) {
                    out.add(e);
                }
            }
            return out;
        }
    }
}
