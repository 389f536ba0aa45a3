package dev.spotkeeper.core.workload;

import dev.spotkeeper.core.Durations;
import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.SpotkeeperException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the keys of one mapping of a spec, remembering which were read, so that {@link #finish()} can refuse
 * unknown keys (with the nearest known key) at their line. Every error names the file, the line and the key path.
 */
final class SpecFields {

    private final String file;
    private final String path;
    private final SpecNode.Mapping mapping;
    private final Set<String> known = new LinkedHashSet<>();

    SpecFields(String file, String path, SpecNode node) {
        this.file = file;
        this.path = path;
        if (!(node instanceof SpecNode.Mapping m)) {
            throw error(node.line(), path.isEmpty() ? "the document" : path, "must be a mapping of keys to values");
        }
        this.mapping = m;
    }

    private String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private SpotkeeperException error(int line, String key, String problem) {
        return SpotkeeperException.malformedFile(file, line, key + " " + problem);
    }

    private int lineOf(String key) {
        return mapping.keyLines().getOrDefault(key, mapping.line());
    }

    SpecNode node(String key) {
        known.add(key);
        SpecNode n = mapping.entries().get(key);
        return n instanceof SpecNode.Empty ? null : n;
    }

    boolean has(String key) {
        return node(key) != null;
    }

    String string(String key, String fallback) {
        SpecNode n = node(key);
        if (n == null) {
            return fallback;
        }
        if (!(n instanceof SpecNode.Scalar s)) {
            throw error(n.line(), keyPath(key), "must be a single value, not a list or mapping");
        }
        return s.text();
    }

    String requiredString(String key) {
        String s = string(key, null);
        if (s == null || s.isBlank()) {
            throw error(lineOf(key), keyPath(key), "is required");
        }
        return s;
    }

    double number(String key, double fallback, double min) {
        String s = string(key, null);
        if (s == null) {
            return fallback;
        }
        double v;
        try {
            v = Double.parseDouble(s.trim().replace("$", ""));
        } catch (NumberFormatException e) {
            throw error(lineOf(key), keyPath(key), "must be a number, was '" + s + "'");
        }
        if (!(v >= min)) {
            throw error(lineOf(key), keyPath(key), "must be at least " + min + ", was " + s);
        }
        return v;
    }

    int integer(String key, int fallback) {
        String s = string(key, null);
        if (s == null) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(s.trim());
            if (v < 0) {
                throw error(lineOf(key), keyPath(key), "must not be negative, was " + s);
            }
            return v;
        } catch (NumberFormatException e) {
            throw error(lineOf(key), keyPath(key), "must be a whole number, was '" + s + "'");
        }
    }

    /** A duration in the one grammar ({@link Durations}): {@code 90s}, {@code 30m}, {@code 1h30m}, ISO-8601, ... */
    Duration duration(String key, Duration fallback) {
        String s = string(key, null);
        if (s == null) {
            return fallback;
        }
        try {
            return Durations.parse(s);
        } catch (Durations.InvalidDuration e) {
            throw error(lineOf(key), keyPath(key), e.getMessage());
        }
    }

    /** One value of a list, with the line it is on (so that an unknown value can be refused at its line). */
    record Item(String text, int line) {
    }

    List<String> strings(String key) {
        return items(key).stream().map(Item::text).toList();
    }

    /** A list ({@code [a, b]}, one item a line, or {@code a, b} in one value), each item with its line. */
    List<Item> items(String key) {
        SpecNode n = node(key);
        if (n == null) {
            return List.of();
        }
        if (n instanceof SpecNode.Scalar s) {
            List<Item> out = new ArrayList<>();
            for (String part : s.text().split(",")) {
                if (!part.isBlank()) {
                    out.add(new Item(part.trim(), s.line()));
                }
            }
            return out;
        }
        if (!(n instanceof SpecNode.Sequence seq)) {
            throw error(n.line(), keyPath(key), "must be a list");
        }
        List<Item> out = new ArrayList<>();
        for (SpecNode item : seq.items()) {
            if (!(item instanceof SpecNode.Scalar s)) {
                throw error(item.line(), keyPath(key), "must be a list of plain values");
            }
            out.add(new Item(s.text().trim(), s.line()));
        }
        return out;
    }

    SpecFields child(String key) {
        SpecNode n = node(key);
        if (n == null) {
            return new SpecFields(file, keyPath(key), new SpecNode.Mapping(Map.of(), Map.of(), lineOf(key)));
        }
        return new SpecFields(file, keyPath(key), n);
    }

    <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        String s = string(key, null);
        if (s == null) {
            return fallback;
        }
        String wanted = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) {
                return e;
            }
            names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw error(lineOf(key), keyPath(key), "must be one of " + String.join(", ", names) + "; was '" + s + "'");
    }

    SpotkeeperException invalid(String key, String problem) {
        return error(lineOf(key), keyPath(key), problem);
    }

    /** As {@link #invalid} at a line of the key's value (a list item) rather than the key's own. */
    SpotkeeperException invalidAt(int line, String key, String problem) {
        return error(line, keyPath(key), problem);
    }

    /** The line of {@code key}, or of this mapping when the key is not there. */
    int line(String key) {
        return lineOf(key);
    }

    /** Refuses keys that were never asked for: most often a typo. */
    void finish() {
        for (String key : mapping.entries().keySet()) {
            if (!known.contains(key)) {
                throw SpotkeeperException.malformedFile(file, lineOf(key), "unknown key '" + keyPath(key) + "'"
                        + Names.didYouMean(key, known) + "; known keys here: " + String.join(", ", known));
            }
        }
    }
}
