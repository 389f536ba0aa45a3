package dev.spotkeeper.emulator.query;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The query protocol's flattened fields, as every emulated query service reads them: a form body decoded, and the
 * indexed lists ({@code prefix1}, {@code prefix2}, …), indexed structures and nested structures found under a key
 * prefix. Each service wraps these with its own errors and its own list spelling (EC2's {@code Filter.1}, the
 * others' {@code Targets.member.1}).
 */
public final class FlatFields {
    private FlatFields() {
    }

    /**
     * Decodes {@code a=b&c=d}, keeping the order.
     *
     * @throws IllegalArgumentException naming the malformed escape, for the caller to answer as its service does
     */
    public static Map<String, String> decodeForm(String form) {
        Map<String, String> values = new LinkedHashMap<>();
        if (form == null || form.isBlank()) {
            return values;
        }
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.put(key, value);
        }
        return values;
    }

    /** The values of {@code prefix<N>} (the prefix ends with its separator, {@code "Value."}), in index order. */
    public static List<String> indexed(Map<String, String> values, String prefix) {
        Map<Integer, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                Integer index = index(e.getKey().substring(prefix.length()));
                if (index != null) {
                    sorted.put(index, e.getValue());
                }
            }
        }
        return new ArrayList<>(sorted.values());
    }

    /** The structures {@code prefix<N>.*}, each with {@code prefix<N>.} stripped, in index order. */
    public static List<Map<String, String>> indexedStructs(Map<String, String> values, String prefix) {
        Map<Integer, Map<String, String>> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            String rest = e.getKey().substring(prefix.length());
            int dot = rest.indexOf('.');
            Integer index = dot < 0 ? null : index(rest.substring(0, dot));
            if (index != null) {
                sorted.computeIfAbsent(index, i -> new LinkedHashMap<>()).put(rest.substring(dot + 1), e.getValue());
            }
        }
        return new ArrayList<>(sorted.values());
    }

    /** The fields under {@code prefix} with it stripped (a nested structure). */
    public static Map<String, String> under(Map<String, String> values, String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                m.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        return m;
    }

    private static Integer index(String s) {
        if (s.isEmpty() || s.length() > 6) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return null;
            }
        }
        return Integer.parseInt(s);
    }
}
