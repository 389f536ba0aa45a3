package dev.spotkeeper.cli.local;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach a running local control plane: its endpoint, the emulator's generated credentials, the event queue
 * and state table, and the process that holds them. {@code processStart} tells a live plane from an unrelated
 * process that was given the same pid after the plane died. {@code controlEndpoint} and {@code controlToken} are the
 * plane's own loopback endpoint for the job commands and the secret that authenticates them (empty when the plane
 * offers none).
 */
public record Connection(String endpoint, String region, String accessKeyId, String secretAccessKey, String queueUrl,
                         String table, long pid, Instant processStart, Instant startedAt, String controlEndpoint,
                         String controlToken) {
    public Connection {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(region, "region is null");
        requireNonNull(accessKeyId, "accessKeyId is null");
        requireNonNull(secretAccessKey, "secretAccessKey is null");
        requireNonNull(queueUrl, "queueUrl is null");
        requireNonNull(table, "table is null");
        requireNonNull(processStart, "processStart is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(controlEndpoint, "controlEndpoint is null");
        requireNonNull(controlToken, "controlToken is null");
    }

    /** A plane without a control endpoint: the job commands reach it through the AWS adapters only. */
    public Connection(String endpoint, String region, String accessKeyId, String secretAccessKey, String queueUrl,
                      String table, long pid, Instant processStart, Instant startedAt) {
        this(endpoint, region, accessKeyId, secretAccessKey, queueUrl, table, pid, processStart, startedAt, "", "");
    }

    /** The same plane with its control endpoint. */
    public Connection withControl(String newControlEndpoint, String newControlToken) {
        return new Connection(endpoint, region, accessKeyId, secretAccessKey, queueUrl, table, pid, processStart,
                startedAt, newControlEndpoint, newControlToken);
    }

    public boolean hasControl() {
        return !controlEndpoint.isEmpty() && !controlToken.isEmpty();
    }

    /** Writes the file owner-only (0600) and atomically: a reader sees the old file or the whole new one. */
    public void write(Path file) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpoint", endpoint);
        m.put("region", region);
        m.put("accessKeyId", accessKeyId);
        m.put("secretAccessKey", secretAccessKey);
        m.put("queueUrl", queueUrl);
        m.put("table", table);
        m.put("pid", pid);
        m.put("processStart", processStart.toString());
        m.put("startedAt", startedAt.toString());
        if (hasControl()) {
            m.put("controlEndpoint", controlEndpoint);
            m.put("controlToken", controlToken);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, Json.write(m) + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "cannot write the connection file " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** The file's connection, or empty when there is no file. */
    public static Optional<Connection> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "cannot read the connection file " + file + ": "
                    + e.getMessage());
        }
        try {
            Map<String, Object> m = Json.parseObject(text);
            return Optional.of(new Connection(string(m, "endpoint"), string(m, "region"), string(m, "accessKeyId"),
                    string(m, "secretAccessKey"), string(m, "queueUrl"), string(m, "table"),
                    ((Number) require(m, "pid", Number.class)).longValue(), Instant.parse(string(m, "processStart")),
                    Instant.parse(string(m, "startedAt")), optional(m, "controlEndpoint"),
                    optional(m, "controlToken")));
        } catch (RuntimeException e) {
            // Written whole by the plane (a rename), so a damaged file was edited or cut by something else.
            throw SpotkeeperException.of(ErrorCode.MALFORMED_FILE, "the connection file " + file + " is damaged ("
                    + e.getMessage() + "); if no local control plane runs, delete it and run `spotkeeper local start`");
        }
    }

    private static String string(Map<String, Object> m, String key) {
        return (String) require(m, key, String.class);
    }

    private static String optional(Map<String, Object> m, String key) {
        return m.get(key) instanceof String v ? v : "";
    }

    private static Object require(Map<String, Object> m, String key, Class<?> type) {
        Object v = m.get(key);
        if (!type.isInstance(v)) {
            throw SpotkeeperException.invalidArgument("'" + key + "' is missing or not a " + type.getSimpleName().toLowerCase(Locale.ROOT));
        }
        return v;
    }

    /** Never prints the secret key or the control token. */
    @Override
    public String toString() {
        return "Connection[" + endpoint + ", pid " + pid + ", key " + accessKeyId + ", secret and token hidden]";
    }
}
