package dev.spotkeeper.sim;

import dev.spotkeeper.core.SpotkeeperException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Typed access to a scenario file's entries, with errors that name the file, line and key. */
final class Values {
    private final String file;
    private final Map<String, ScenarioFile.Entry> entries;

    Values(String file, Map<String, ScenarioFile.Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    String file() {
        return file;
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    int line(String key) {
        return has(key) ? entries.get(key).line() : 0;
    }

    String text(String key) {
        Object v = entries.get(key).value();
        if (!(v instanceof String s)) {
            throw SpotkeeperException.malformedFile(file, line(key), "key '" + key + "' must be a single value, not a list");
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    List<String> list(String key) {
        Object v = entries.get(key).value();
        if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                throw SpotkeeperException.malformedFile(file, line(key), "key '" + key + "' is an empty list");
            }
            return (List<String>) l;
        }
        return List.of((String) v);
    }

    double number(String key, double fallback) {
        return has(key) ? parse(key, text(key)) : fallback;
    }

    double parse(String key, String s) {
        try {
            double d = Double.parseDouble(s.strip());
            if (!Double.isFinite(d) || d < 0) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw SpotkeeperException.malformedFile(file, line(key), "key '" + key + "': '" + s + "' is not a number >= 0");
        }
    }

    /** Runs {@code step}; a refusal from it is reported against {@code key}'s line in this file. */
    <T> T wrap(String key, Supplier<T> step) {
        try {
            return step.get();
        } catch (SpotkeeperException e) {
            if (e.getMessage().startsWith(file)) {
                throw e;
            }
            throw SpotkeeperException.malformedFile(file, line(key), e.getMessage());
        }
    }
}
