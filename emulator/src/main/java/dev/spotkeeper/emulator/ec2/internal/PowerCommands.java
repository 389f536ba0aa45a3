package dev.spotkeeper.emulator.ec2.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code shutdown}, {@code poweroff}, {@code halt} and {@code reboot} of one emulated instance. An instance is a
 * process of this machine, so the system's own commands would power off the machine itself (or try to): each
 * instance gets its own, first on its {@code PATH}, which only write a request that the emulator reads and carries
 * out on that instance — as EC2 terminates a one-time spot instance shut down from inside. A program that calls
 * {@code /sbin/shutdown} by its full path still reaches the system's one: only the names are taken over.
 */
final class PowerCommands {
    /** The commands, in the instance's {@code .emulator/bin}. */
    static final String[] NAMES = {"shutdown", "poweroff", "halt", "reboot"};

    /** What the instance asked for. */
    enum Request {
        /** shutdown -h/-P, poweroff, halt: the instance ends (terminated, as EC2 does for a one-time spot instance). */
        HALT,
        /** reboot, shutdown -r: its processes end and it stays running; user data runs at first boot only. */
        REBOOT
    }

    private PowerCommands() {
    }

    /** The directory put first on the instance's {@code PATH}. */
    static Path binDirectory(Path instanceDirectory) {
        return instanceDirectory.resolve(".emulator").resolve("bin");
    }

    private static Path requestFile(Path instanceDirectory) {
        return instanceDirectory.resolve(".emulator").resolve("power");
    }

    /** Writes the four commands into the instance's directory, executable by their owner only. */
    static void install(Path instanceDirectory) throws IOException {
        Path bin = binDirectory(instanceDirectory);
        Files.createDirectories(bin);
        String request = quote(requestFile(instanceDirectory).toString());
        for (String name : NAMES) {
            Path file = bin.resolve(name);
            Files.writeString(file, script(name, request), StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                file.toFile().setExecutable(true, true);
            }
        }
    }

    /**
     * The script: options as systemd's {@code shutdown} takes them ({@code -h}, {@code -P}, {@code -r}, a time of
     * {@code now}, {@code +0} or {@code +MINUTES}, default {@code +1}); the request is written under a temporary name
     * and renamed, so the emulator never reads half of one.
     */
    private static String script(String name, String request) {
        String action = name.equals("reboot") ? "reboot" : "halt";
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n");
        s.append("# ").append(name).append(" of this emulated instance only: asks the spotkeeper emulator to ")
                .append(action.equals("reboot") ? "end this instance's processes" : "terminate this instance")
                .append(".\n");
        s.append("action=").append(action).append('\n');
        s.append("minutes=").append(name.equals("shutdown") ? "1" : "0").append('\n');
        s.append("for a in \"$@\"; do\n");
        s.append("  case \"$a\" in\n");
        s.append("    -r|--reboot) action=reboot ;;\n");
        s.append("    -h|-H|-P|--halt|--poweroff|-p) action=halt ;;\n");
        s.append("    -c) echo \"").append(name).append(": no scheduled shutdown to cancel on an emulated instance\" >&2;")
                .append(" exit 1 ;;\n");
        s.append("    now|+0) minutes=0 ;;\n");
        s.append("    +[0-9]*) minutes=${a#+} ;;\n");
        s.append("    *) ;;\n");
        s.append("  esac\n");
        s.append("done\n");
        s.append("request() { printf '%s\\n' \"$action\" > ").append(request).append(".tmp && mv -f ")
                .append(request).append(".tmp ").append(request).append("; }\n");
        s.append("if [ \"$minutes\" -gt 0 ] 2>/dev/null; then\n");
        s.append("  ( sleep $((minutes * 60)) && request ) </dev/null >/dev/null 2>&1 &\n");
        s.append("  echo \"").append(name).append(": $action of this emulated instance in $minutes min\"\n");
        s.append("else\n");
        s.append("  request\n");
        s.append("fi\n");
        return s.toString();
    }

    /** The instance's pending request, removed as it is read; empty when there is none. */
    static Optional<Request> take(Path instanceDirectory) {
        Path file = requestFile(instanceDirectory);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).trim().toLowerCase(Locale.ROOT);
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // gone between the look and the read (NoSuchFileException), or unreadable: nothing to do now
            return Optional.empty();
        }
        return Optional.of(text.equals("reboot") ? Request.REBOOT : Request.HALT);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
