package dev.spotkeeper.core.workload;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed document (YAML or JSON) as a tree that remembers the line of every value, so that validation errors
 * can name the line and the key. Scalars keep their text; the parser of the format builds the tree.
 */
public sealed interface SpecNode {
    /** 1-based line where the value starts. */
    int line();

    record Scalar(String text, int line) implements SpecNode {
        public Scalar {
            requireNonNull(text, "text is null");
        }
    }

    record Sequence(List<SpecNode> items, int line) implements SpecNode {
        public Sequence {
            items = List.copyOf(items);
        }
    }

    /** A mapping; {@code keyLines} holds the line of each key. */
    record Mapping(Map<String, SpecNode> entries, Map<String, Integer> keyLines, int line) implements SpecNode {
        public Mapping {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            keyLines = Map.copyOf(keyLines);
        }
    }

    /** An explicit null or an empty value. */
    record Empty(int line) implements SpecNode {
    }
}
