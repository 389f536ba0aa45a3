package dev.spotkeeper.core.workload;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the members of one object of a canonical JSON document strictly: each member has the type it must have,
 * and {@link #finish()} refuses a member nobody asked for, because a writer that adds one also raises the schema
 * version. Errors name the source and the member's path.
 */
final class JsonMembers {
    private final String source;
    private final String path;
    private final Map<String, Object> members;
    private final Set<String> read = new LinkedHashSet<>();

    JsonMembers(String source, String path, Map<String, Object> members) {
        this.source = source;
        this.path = path;
        this.members = members;
    }

    SpotkeeperException invalid(String key, String problem) {
        return SpotkeeperException.malformedFile(source, 0, keyPath(key) + " " + problem);
    }

    /** A problem with this object as a whole. */
    SpotkeeperException invalidHere(String problem) {
        return SpotkeeperException.malformedFile(source, 0, (path.isEmpty() ? "the document" : path) + ": " + problem);
    }

    private String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The member as parsed (marked read), null when absent. */
    Object raw(String key) {
        return value(key);
    }

    private Object value(String key) {
        read.add(key);
        return members.get(key);
    }

    /** The document's {@code schemaVersion}; only on the root that {@link #versioned} returned. */
    long schemaVersion() {
        return ((Number) members.get("schemaVersion")).longValue();
    }

    boolean has(String key) {
        return value(key) != null;
    }

    private <T> T required(String key, Class<T> type, String what) {
        Object v = value(key);
        if (v == null) {
            throw invalid(key, "is missing");
        }
        if (!type.isInstance(v)) {
            throw invalid(key, "must be " + what + ", was " + Json.typeName(v));
        }
        return type.cast(v);
    }

    String string(String key) {
        return required(key, String.class, "a string");
    }

    Optional<String> optionalString(String key) {
        return has(key) ? Optional.of(string(key)) : Optional.empty();
    }

    long integer(String key) {
        Object v = required(key, Number.class, "a number");
        if (!(v instanceof Long l)) {
            throw invalid(key, "must be a whole number, was " + v);
        }
        return l;
    }

    double number(String key) {
        return required(key, Number.class, "a number").doubleValue();
    }

    Optional<Double> optionalNumber(String key) {
        return has(key) ? Optional.of(number(key)) : Optional.empty();
    }

    Duration duration(String key) {
        String s = string(key);
        try {
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            throw invalid(key, "must be an ISO-8601 duration such as PT5M, was '" + s + "'");
        }
    }

    Optional<Duration> optionalDuration(String key) {
        return has(key) ? Optional.of(duration(key)) : Optional.empty();
    }

    Set<String> strings(String key) {
        List<?> list = required(key, List.class, "an array of strings");
        Set<String> out = new LinkedHashSet<>();
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw invalid(key, "must be an array of strings, holds " + Json.typeName(o));
            }
            out.add(s);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    JsonMembers child(String key) {
        return new JsonMembers(source, keyPath(key), required(key, Map.class, "an object"));
    }

    void finish() {
        for (String key : members.keySet()) {
            if (!read.contains(key)) {
                throw invalid(key, "is not a member this version of spotkeeper knows");
            }
        }
    }

    /**
     * Reads {@code schemaVersion} and refuses a document of a newer version than {@code current}: its writer knows
     * fields this reader would silently drop.
     */
    static JsonMembers versioned(String source, String text, String what, int current) {
        Map<String, Object> root;
        try {
            root = Json.parseObject(text);
        } catch (RuntimeException e) {
            throw SpotkeeperException.malformedFile(source, 0, "is not a " + what + " in JSON: " + e.getMessage());
        }
        JsonMembers m = new JsonMembers(source, "", root);
        if (!m.has("schemaVersion")) {
            throw m.invalid("schemaVersion", "is missing: not a " + what);
        }
        long version = m.integer("schemaVersion");
        if (version > current) {
            throw SpotkeeperException.malformedFile(source, 0, "is a " + what + " of schemaVersion " + version
                    + ", newer than this spotkeeper reads (" + current + "); upgrade spotkeeper where it reads it"
                    + " (the controller, the CLI and the agent's image)");
        }
        if (version < 1) {
            throw m.invalid("schemaVersion", "must be 1 or more, was " + version);
        }
        return m;
    }
}
