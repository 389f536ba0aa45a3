package dev.spotkeeper.emulator.ec2.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the emulator keeps on disk about each instance, next to its directory ({@code instances/<id>.json}): enough
 * to list it again after the emulator stopped — terminated, as its processes ended with the emulator — and the
 * pid of its process group's leader and who that process is ({@link ProcessIdentity}: the boot and the kernel's start
 * ticks, with the wall-clock start time besides), so that an emulator started later in the same work directory can
 * end whatever an earlier one left running, recognising it by both (a pid alone may since belong to someone else).
 * Also the count of starts in the work directory, which keeps the ids of one start apart from every earlier one.
 */
final class InstanceRecords {
    private static final String STARTS = "starts";
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final Path directory;

    /** One instance as an earlier start of the emulator recorded it. */
    record Stored(String id, String reservationId, String imageId, String instanceType, String region,
                  String zone, boolean spot, Instant launchTime, String privateIp, Map<String, String> tags,
                  long pid, Instant processStart, String processIdentity) {
        Stored {
            requireNonNull(id, "id is null");
            tags = Map.copyOf(tags);
        }
    }

    InstanceRecords(Path directory) {
        this.directory = requireNonNull(directory, "directory is null");
    }

    /** Counts this start and returns its number: 1 in a new work directory. */
    long countStart() throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(STARTS);
        long previous = 0;
        if (Files.exists(file)) {
            try {
                previous = Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim());
            } catch (NumberFormatException e) {
                // A damaged count goes on from the number of records; instance ids are checked against each one.
                try (var entries = Files.list(directory)) {
                    previous = entries.count();
                }
            }
        }
        writeAtomically(file, Long.toString(previous + 1) + "\n");
        return previous + 1;
    }

    /** Whether an instance of this id was ever launched in this work directory. */
    boolean known(String id) {
        return Files.exists(directory.resolve(id + ".json")) || Files.exists(directory.resolve(id));
    }

    /** Records the instance as launched (and, once its user data runs, the process that holds it). */
    void write(EmulatedInstance i, InstanceProcess process) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instanceId", i.id);
        m.put("reservationId", i.reservationId);
        m.put("imageId", i.spec.imageId());
        m.put("instanceType", i.spec.type().name());
        m.put("region", i.zone.region());
        m.put("availabilityZone", i.zone.name());
        m.put("spot", i.spot());
        m.put("launchTime", i.launchTime.toString());
        m.put("privateIp", i.privateIp);
        m.put("tags", new LinkedHashMap<>(i.tags()));
        if (process != null && process.ownsGroup()) {
            Optional<Instant> start = process.startInstant();
            if (start.isPresent()) {
                m.put("pid", process.pid());
                m.put("processStart", start.get().toString());
                ProcessIdentity.of(process.pid()).ifPresent(id -> m.put("processIdentity", id));
            }
        }
        try {
            writeAtomically(directory.resolve(i.id + ".json"), Json.write(m) + "\n");
        } catch (IOException e) {
            // Only a later start reads it: this one keeps the instance in memory either way.
        }
    }

    /** Every instance an earlier start recorded, oldest launch first; unreadable records are skipped. */
    List<Stored> previous() {
        List<Stored> out = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
            for (Path f : files) {
                read(f).ifPresent(out::add);
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(Comparator.comparing(Stored::launchTime).thenComparing(Stored::id));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Optional<Stored> read(Path f) {
        try {
            Map<String, Object> m = Json.parseObject(Files.readString(f, StandardCharsets.UTF_8));
            Map<String, String> tags = new LinkedHashMap<>();
            if (m.get("tags") instanceof Map<?, ?> t) {
                ((Map<String, Object>) t).forEach((k, v) -> tags.put(k, String.valueOf(v)));
            }
            long pid = m.get("pid") instanceof Number n ? n.longValue() : -1;
            Instant start = m.get("processStart") instanceof String s ? Instant.parse(s) : null;
            String identity = m.get("processIdentity") instanceof String s ? s : null;
            return Optional.of(new Stored((String) m.get("instanceId"), (String) m.get("reservationId"),
                    (String) m.get("imageId"), (String) m.get("instanceType"), (String) m.get("region"),
                    (String) m.get("availabilityZone"), Boolean.TRUE.equals(m.get("spot")),
                    Instant.parse((String) m.get("launchTime")), (String) m.get("privateIp"), tags, pid, start, identity));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Ends the process groups of earlier instances that still run: SIGTERM to each group whose leader is the very
     * process recorded (same pid, and the same process by {@link #leader}), five seconds, then SIGKILL. Returns how
     * many were running.
     */
    static int endLeftovers(List<Stored> stored) {
        List<ProcessHandle> leaders = new ArrayList<>();
        for (Stored s : stored) {
            leader(s).ifPresent(h -> {
                leaders.add(h);
                InstanceProcess.signalGroup(h.pid(), "TERM");
            });
        }
        long giveUp = System.nanoTime() + GRACE.toNanos();
        for (ProcessHandle h : leaders) {
            long left = giveUp - System.nanoTime();
            try {
                h.onExit().get(Math.max(1, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // killed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (ProcessHandle h : leaders) {
            // The leader is checked again: once it is gone its group id may be given to another process's group.
            if (h.isAlive()) {
                InstanceProcess.signalGroup(h.pid(), "KILL");
            }
        }
        return leaders.size();
    }

    /**
     * The recorded leader if it still runs: the same pid and the same process — by the kernel's identity when both
     * the record and this machine have one (a clock stepped since the record was written moves the wall-clock start
     * time another process computes, not the ticks), else by the wall-clock start time.
     */
    private static Optional<ProcessHandle> leader(Stored s) {
        if (s.pid() <= 0 || (s.processStart() == null && s.processIdentity() == null)) {
            return Optional.empty();
        }
        Optional<ProcessHandle> alive = ProcessHandle.of(s.pid()).filter(ProcessHandle::isAlive);
        if (s.processIdentity() != null) {
            Optional<String> now = ProcessIdentity.of(s.pid());
            if (now.isPresent()) {
                return alive.filter(h -> now.get().equals(s.processIdentity()));
            }
        }
        if (s.processStart() == null) {
            return Optional.empty();
        }
        return alive.filter(h -> h.info().startInstant().map(s.processStart()::equals).orElse(false));
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
