package dev.spotkeeper.cli.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How to start this same spotkeeper on an (emulated) instance, for user data that runs the agent. */
public final class JarPath {
    private JarPath() {
    }

    private static Path argFile;

    /**
     * {@code <java> -jar <this jar>}, or from the class path when not run from a jar (tests, IDEs). The class path
     * goes in an argument file ({@code java @file}): written out, a test's class path alone passes the 16 KB that
     * EC2 allows user data.
     */
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
        return quote(java) + " " + quote("@" + classPathFile()) + " dev.spotkeeper.cli.Main";
    }

    /** A file that holds {@code -cp <class path>}, written once per process and removed when it ends. */
    private static synchronized Path classPathFile() {
        if (argFile == null) {
            String classPath = System.getProperty("java.class.path").replace("\\", "\\\\").replace("\"", "\\\"");
            try {
                Path file = Files.createTempFile("spotkeeper-agent-", ".args");
                file.toFile().deleteOnExit();
                Files.writeString(file, "-cp\n\"" + classPath + "\"\n");
                argFile = file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the agent's class path file", e);
            }
        }
        return argFile;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
