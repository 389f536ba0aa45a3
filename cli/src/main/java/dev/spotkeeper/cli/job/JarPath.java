package dev.spotkeeper.cli.job;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How to start spotkeeper programs on this machine: this same CLI ({@link #command()}), and the agent's own jar for
 * user data on emulated instances ({@link #agentCommand()}).
 */
public final class JarPath {
    /** The agent's jar, copied next to the CLI jar (and, for the tests, to {@code cli/target}) by the build. */
    public static final String AGENT_JAR = dev.spotkeeper.plane.AgentDownload.AGENT_JAR;

    private static Path argFile;

    private JarPath() {
    }

    /**
     * {@code <java> -jar <this jar>}, or from the class path when not run from a jar (tests, IDEs). The class path
     * goes in an argument file ({@code java @file}): written out, a test's class path alone passes the 16 KB that
     * EC2 allows user data.
     */
    public static String command() {
        Optional<Path> jar = location().filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".jar"));
        if (jar.isPresent()) {
            return quote(java()) + " -jar " + quote(jar.get().toAbsolutePath().toString());
        }
        return quote(java()) + " " + quote("@" + classPathFile()) + " dev.spotkeeper.cli.Main";
    }

    /**
     * {@code <java> -jar <dir>/spotkeeper-agent.jar}: the agent jar in the CLI jar's directory, or, run from classes
     * ({@code cli/target/classes}), in the directory above them, where the build copies it before the tests.
     *
     * @throws SpotkeeperException when the agent jar is not there: instances would have nothing to run
     */
    public static String agentCommand() {
        Optional<Path> here = location();
        Optional<Path> agent = agentJar();
        if (agent.isEmpty()) {
            throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "the agent jar " + AGENT_JAR + " is not next to "
                    + here.map(Path::toString).orElse("the spotkeeper jar") + ": build it with `mvn -pl cli -am package`"
                    + " (./spotkeeper does it on first use)");
        }
        return quote(java()) + " -jar " + quote(agent.get().toString());
    }

    /** The serverless functions' jar, copied next to the CLI jar (and to {@code cli/target}) by the build. */
    public static final String FUNCTION_JAR = "spotkeeper-function.jar";

    /** The functions' jar next to this CLI's jar (or above its classes); empty when the build has not put it there. */
    public static Optional<Path> functionJar() {
        return location().map(p -> p.toAbsolutePath().getParent().resolve(FUNCTION_JAR)).filter(Files::isRegularFile);
    }

    /** The agent jar next to this CLI's jar (or above its classes); empty when the build has not put it there. */
    public static Optional<Path> agentJar() {
        return location().map(p -> p.toAbsolutePath().getParent().resolve(AGENT_JAR)).filter(Files::isRegularFile);
    }

    /** A file that holds {@code -cp <class path>}, written once per process and removed when it ends. */
    private static synchronized Path classPathFile() {
        if (argFile == null) {
            String classPath = System.getProperty("java.class.path").replace("\\", "\\\\").replace("\"", "\\\"");
            try {
                Path file = Files.createTempFile("spotkeeper-cli-", ".args");
                file.toFile().deleteOnExit();
                Files.writeString(file, "-cp\n\"" + classPath + "\"\n");
                argFile = file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the class path file", e);
            }
        }
        return argFile;
    }

    private static Optional<Path> location() {
        try {
            return Optional.of(Path.of(JarPath.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
