package dev.spotkeeper.sim.trace;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads text shipped inside the jar. */
final class Resources {
    private Resources() {
    }

    static String read(String path) {
        try (InputStream in = Resources.class.getResourceAsStream(path)) {
            if (in == null) {
                throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "the shipped trace " + path
                        + " is missing from the spotkeeper jar; rebuild it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "cannot read the shipped trace " + path + ": " + e.getMessage(), e);
        }
    }
}
