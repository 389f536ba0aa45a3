package dev.spotkeeper.agent;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends the instance the agent runs on, so that an agent that cannot do its work does not leave the instance billing:
 * {@code shutdown -h now}, as on any Linux instance (spotkeeper launches with the shutdown behaviour {@code terminate},
 * so EC2 then terminates it).
 *
 * <p>On the local emulator (instance metadata on a loopback address) the emulator puts a {@code shutdown} of its own
 * first on the instance's {@code PATH}, which stops the emulated instance. The host's own {@code shutdown} (one in a
 * system directory) is never run from there: an emulated instance must not reach this machine's power controls.
 */
public interface PowerOff {
    /** Powers the instance off; {@code why} is logged first. Returns when the command has run (or could not). */
    void now(String why);

    /** Where a host keeps its own {@code shutdown}. */
    List<String> SYSTEM_DIRECTORIES = List.of("/sbin", "/usr/sbin", "/bin", "/usr/bin", "/usr/local/sbin",
            "/usr/local/bin");

    /** {@code shutdown -h now}, found on the {@code PATH} of {@code env}. */
    static PowerOff shutdown(Map<String, String> env) {
        return shutdown(env, SYSTEM_DIRECTORIES);
    }

    /** As {@link #shutdown(Map)}, with the host's system directories named (for tests). */
    static PowerOff shutdown(Map<String, String> env, List<String> systemDirectories) {
        Logger log = Logger.getLogger(PowerOff.class.getName());
        return why -> {
            log.log(Level.SEVERE, "{0}: ending this instance (shutdown -h now) so that it does not keep billing", why);
            Optional<Path> command = onPath("shutdown", env.getOrDefault("PATH", ""));
            if (command.isEmpty()) {
                log.severe("no shutdown command on PATH: the controller ends the instance when its agent does not report");
                return;
            }
            if (emulated(env) && systemDirectories.contains(command.get().toAbsolutePath().getParent().toString())) {
                log.severe("instance metadata is on this machine (the local emulator), and the shutdown on PATH is the"
                        + " host's own (" + command.get() + "): not run; the emulator ends the instance");
                return;
            }
            try {
                Process p = new ProcessBuilder(command.get().toString(), "-h", "now").inheritIO().start();
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    log.severe("shutdown -h now did not succeed: the controller ends the instance instead");
                }
            } catch (IOException e) {
                log.log(Level.SEVERE, "cannot run shutdown: {0}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private static Optional<Path> onPath(String name, String path) {
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Instance metadata on a loopback address: the local emulator's instances, not an EC2 instance. */
    private static boolean emulated(Map<String, String> env) {
        String endpoint = env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT");
        if (endpoint == null) {
            return false;
        }
        String host = URI.create(endpoint.trim()).getHost();
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
                || host.equals("::1"));
    }
}
