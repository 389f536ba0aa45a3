package dev.spotkeeper.emulator.ec2.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Who a process is, beyond its pid, as the kernel says it: the boot's id and the process's start time in clock ticks
 * since that boot ({@code /proc/sys/kernel/random/boot_id}, field 22 of {@code /proc/PID/stat}, see proc(5)). Unlike
 * the wall-clock start time that {@link ProcessHandle.Info#startInstant()} derives from the boot time, neither moves
 * when the clock is stepped, so two processes reading it at different times agree. Empty where there is no
 * {@code /proc} (the caller then falls back to the wall-clock start time).
 */
final class ProcessIdentity {
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    private ProcessIdentity() {
    }

    /** {@code BOOTID/TICKS} for a running process, or empty. */
    static Optional<String> of(long pid) {
        return of(Path.of("/proc"), BOOT_ID, pid);
    }

    static Optional<String> of(Path proc, Path bootIdFile, long pid) {
        try {
            String boot = Files.readString(bootIdFile, StandardCharsets.UTF_8).trim();
            String stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            return startTicks(stat).filter(t -> !boot.isEmpty()).map(t -> boot + "/" + t);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Field 22 of a {@code stat} line. The command name (field 2) is in parentheses and may itself hold spaces and
     * parentheses, so fields are counted from the last closing parenthesis: field 3 is the first after it.
     */
    static Optional<String> startTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return Optional.empty();
        }
        String[] rest = stat.substring(close + 1).trim().split("\\s+");
        int index = 22 - 3;
        if (rest.length <= index || !rest[index].chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(rest[index]);
    }
}
