package dev.spotkeeper.cli.job;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How to start this same spotkeeper on an (emulated) instance, for user data that runs the agent. */
public final class JarPath {
    private JarPath() {
    }

    /** {@code <java> -jar <this jar>}, or from the class path when not run from a jar (tests, IDEs). */
    public static String command() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            Path p = Path.of(JarPath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
                return quote(java) + " -jar " + quote(p.toAbsolutePath().toString());
            }
        } catch (URISyntaxException | SecurityException e) {
            // fall through to the class path
        }
        return quote(java) + " -cp " + quote(System.getProperty("java.class.path")) + " dev.spotkeeper.cli.Main";
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
