package dev.spotkeeper.cli.job;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Where this spotkeeper jar is, for user data that starts the agent from the same jar. */
final class JarPath {
    private JarPath() {
    }

    static String current() {
        try {
            Path p = Path.of(JarPath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.toAbsolutePath().toString();
        } catch (URISyntaxException | SecurityException e) {
            return "spotkeeper.jar";
        }
    }
}
