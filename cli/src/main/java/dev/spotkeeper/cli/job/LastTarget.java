package dev.spotkeeper.cli.job;

import dev.spotkeeper.cli.local.LocalHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The target the job commands acted on last, remembered in {@code $SPOTKEEPER_HOME/last-target}: a command about to
 * act on another one (AWS after the local plane, another profile, another endpoint) says so in one line first, so
 * exporting a variable never silently moves the commands somewhere else.
 */
final class LastTarget {
    private LastTarget() {
    }

    static Path file(LocalHome home) {
        return home.dir().resolve("last-target");
    }

    /** Remembers {@code target}; returns the line to print when it differs from the one remembered before. */
    static Optional<String> switchTo(LocalHome home, JobTarget target) {
        String now = target.describe();
        String before = read(home);
        if (now.equals(before)) {
            return Optional.empty();
        }
        write(home, now);
        if (before == null) {
            return Optional.empty();
        }
        String why = target instanceof JobTarget.Plane p && !p.why().isEmpty() ? " (" + p.why() + ")" : "";
        return Optional.of("note: this acts on " + now + why + "; the last spotkeeper command acted on " + before);
    }

    private static String read(LocalHome home) {
        try {
            String s = Files.readString(file(home), StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? null : s;
        } catch (IOException e) {
            return null;
        }
    }

    private static void write(LocalHome home, String line) {
        try {
            home.ensure();
            Files.writeString(file(home), line + "\n", StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            // Only the next notice depends on it; the command itself goes on.
        }
    }
}
